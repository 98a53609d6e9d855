// A refused form, told in the user's language: each field's reasons next to its input, and
// one line on top. The server sends each reason as a code with its parameters (`codes`, in
// the shape of `errors`, see docs/api-contract.md); a code this app does not know is shown
// in the server's own words.
import { h, append, uid } from './dom.js';
import { t, lang } from './i18n/index.js';

/** {"a": {"0": {"b": [...]}}} → {"a.0.b": [...]}: leaves are lists (or a lone value). */
export function flatten(tree, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(tree || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) out[path] = value;
    else if (value && typeof value === 'object' && !('code' in value)) flatten(value, path, out);
    else out[path] = [value];
  }
  return out;
}

const has = (key, l) => t(key, null, l) !== key;

/** The key of a code's words: a variant by which bounds it has (length with only a maximum
 * is lengthMax), and a field's own words first (formErrors.pattern.username). */
function keyFor(entry, fieldName, l) {
  let code = entry.code;
  if (code === 'length' || code === 'range') {
    if (entry.equal !== undefined) code += 'Equal';
    else if (entry.min === undefined) code += 'Max';
    else if (entry.max === undefined) code += 'Min';
  }
  const own = `formErrors.${code}.${fieldName}`;
  if (fieldName && has(own, l)) return own;
  const general = `formErrors.${code}`;
  return has(general, l) ? general : null;
}

/** One reason in words: from its code and parameters, else the server's message. */
export function reasonText(entry, fieldName = '', l = lang()) {
  if (entry === null || entry === undefined) return '';
  if (typeof entry !== 'object') return String(entry);
  const key = entry.code ? keyFor(entry, fieldName, l) : null;
  if (!key) return entry.message ?? String(entry.code ?? '');
  const sep = l.startsWith('zh') ? '、' : ', ';
  const params = { ...entry };
  if (Array.isArray(entry.choices)) params.choices = entry.choices.join(sep);
  return t(key, params, l);
}

/**
 * A problem's reasons by field path ("display_name", "care_levels.1.required"), in words,
 * each said once. Codes when the server sent them, its messages otherwise.
 */
export function fieldMessages(problem, l = lang()) {
  const tree = problem?.codes || problem?.errors;
  const out = {};
  for (const [path, reasons] of Object.entries(flatten(tree))) {
    const name =
      path
        .split('.')
        .filter((p) => !/^\d+$/.test(p))
        .pop() || path;
    const words = reasons.map((r) => reasonText(r, name, l)).filter(Boolean);
    out[path] = [...new Set(words)];
  }
  return out;
}

/** The control a path belongs to: the path itself, else its nearest parent given. */
function controlFor(controls, path) {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (controls[p]) return { control: controls[p], path: p };
  }
  return null;
}

function focusable(control) {
  if (control.matches?.('input, select, textarea, button')) return control;
  return control.querySelector?.('input, select, textarea, button') || control;
}

/**
 * Error display for one form. `controls` maps the body's field paths to their inputs (or to
 * a fieldset for a group); `top` is the element above the form that says what went wrong.
 * show(err) puts each field's reasons after its input, marks it aria-invalid, describes it by
 * them and focuses the first; reasons of fields not on the form, and the general message
 * (`general(err)` when no field is named), go on top. clear() takes it all away.
 */
export function formErrors({ controls = {}, top, general = (err) => err?.message || '' } = {}) {
  let added = [];
  const marked = new Map();

  function clear() {
    for (const el of added) el.remove();
    added = [];
    for (const [control, describedBy] of marked) {
      control.removeAttribute('aria-invalid');
      if (describedBy) control.setAttribute('aria-describedby', describedBy);
      else control.removeAttribute('aria-describedby');
      control.closest('.field')?.classList.remove('has-error');
    }
    marked.clear();
    if (top) top.replaceChildren();
  }

  function mark(control, id) {
    if (!marked.has(control)) marked.set(control, control.getAttribute('aria-describedby'));
    control.setAttribute('aria-invalid', 'true');
    const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    control.setAttribute('aria-describedby', [...ids, id].join(' '));
    control.closest('.field')?.classList.add('has-error');
  }

  function show(err) {
    clear();
    if (!err) return;
    const messages = typeof err === 'object' ? fieldMessages(err) : {};
    const elsewhere = [];
    const byControl = new Map(); // a list's items and their list share one control
    for (const [path, words] of Object.entries(messages)) {
      const found = controlFor(controls, path);
      if (!found) elsewhere.push(...words);
      else byControl.set(found.control, [...(byControl.get(found.control) || []), ...words]);
    }
    const placed = [];
    for (const [control, words] of byControl) {
      if (!words.length) continue;
      const id = `${control.id || (control.id = uid('fe'))}-error`;
      const note = h('p', { class: 'error field-error', id }, '⚠ ', [...new Set(words)].join(' '));
      if (control.tagName === 'FIELDSET') control.append(note);
      else control.after(note);
      added.push(note);
      mark(control, id);
      placed.push(control);
    }
    if (top) {
      const reasons = elsewhere.join(' ');
      const line = placed.length
        ? [t('formErrors.summary'), reasons].filter(Boolean).join(' ')
        : reasons
          ? t('formErrors.refused', { reasons })
          : general(err);
      append(top, h('span', null, '⚠ ', line));
      if (!placed.length) top.scrollIntoView?.({ block: 'nearest' });
    }
    const first = placed.sort((a, b) =>
      a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    )[0];
    if (first) focusable(first).focus();
  }

  return { show, clear };
}

/** The line that explains the * of a required field's label (dom.js field(..., {required})). */
export function requiredLegend() {
  const [before, ...after] = t('formErrors.requiredLegend').split('*');
  return h(
    'p',
    { class: 'note required-legend' },
    before,
    after.length ? [h('span', { class: 'required-mark' }, '*'), after.join('*')] : null,
  );
}
