// A tiny DOM builder: h('button', {class: 'big', onclick}, 'Text'). No innerHTML anywhere,
// so names and comments from the server can never become markup.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'value') el.value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'required')
        el[k] = Boolean(v);
      else if (k === 'ref') v(el);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  addAll(el, children);
  return el;
}

/**
 * Add children to an element as h() does: nodes as they are, other values as text, arrays
 * flattened, and null, undefined and false skipped (so `cond ? node : null` adds nothing; the
 * DOM's own el.append(null) would print "null").
 */
export function append(el, ...children) {
  addAll(el, children);
  return el;
}

function addAll(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) addAll(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.append(c);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let seq = 0;
export const uid = (p = 'f') => `${p}${++seq}`;

/**
 * A labelled form field: label + control (+ optional hint and error), ids wired for a11y.
 * `required` marks the label with a visible * (drawn by the style sheet, so that it is no part
 * of the field's name; requiredLegend() in lib/form-errors.js explains it) and sets the
 * control's `required`.
 */
export function field(label, control, { hint, error, required } = {}) {
  const id = control.id || (control.id = uid());
  const hintId = hint ? `${id}-hint` : null;
  const errId = error ? `${id}-err` : null;
  const described = [hintId, errId].filter(Boolean).join(' ');
  if (described) control.setAttribute('aria-describedby', described);
  if (error) control.setAttribute('aria-invalid', 'true');
  if (required) control.required = true;
  return h(
    'div',
    { class: `field${error ? ' has-error' : ''}` },
    h('label', { for: id, class: required ? 'required' : null }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    error ? h('p', { class: 'error', id: errId, role: 'alert' }, '⚠ ', error) : null,
  );
}

/** A group of big radio buttons (segmented), returns the fieldset; onchange(value). */
export function choice(name, legend, options, value, onchange, { cls = '' } = {}) {
  return h(
    'fieldset',
    { class: `choice ${cls}` },
    h('legend', null, legend),
    h(
      'div',
      { class: 'choice-options' },
      options.map(([v, label]) =>
        h(
          'label',
          { class: 'choice-option' },
          h('input', {
            type: 'radio',
            name,
            value: v,
            checked: v === value,
            onchange: () => onchange(v),
          }),
          h('span', null, label),
        ),
      ),
    ),
  );
}

/** A decorative symbol next to words: hidden from screen readers, so names stay plain. */
export const icon = (ch) => h('span', { class: 'icon', 'aria-hidden': 'true' }, ch);
