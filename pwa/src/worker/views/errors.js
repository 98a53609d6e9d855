// The server's reasons for refusing a record, shown at the top and next to their fields: in
// the worker's language from the codes the server sends beside its English messages, or in
// the server's words where there are none (docs/api-contract.md, "Field codes").
import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { flatten, reasonText } from '../../lib/form-errors.js';

/**
 * The server nests errors as its schemas nest ({"signature": {"signer_name": ["…"]}}, list items
 * by index): flatten them to {"signature.signer_name": ["…"]}.
 */
export function flattenErrors(errors, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(errors || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.every((m) => typeof m === 'string')) out[key] = v;
    else if (typeof v === 'string') out[key] = [v];
    else if (v && typeof v === 'object') flattenErrors(v, key, out);
  }
  return out;
}

/** Each refused field's reasons in words: from `codes` when sent, else `errors` as they are. */
export function reasons(errors, codes) {
  if (!codes || !Object.keys(codes).length) return flattenErrors(errors);
  const out = {};
  for (const [path, entries] of Object.entries(flatten(codes))) {
    const name =
      path
        .split('.')
        .filter((p) => !/^\d+$/.test(p))
        .pop() || path;
    // `invalid` says less than the server's own words (a rule across fields: "Give the name of
    // the family member who signed."), so those are shown for it.
    const words = entries.map((entry) =>
      entry?.code === 'invalid' && entry.message ? entry.message : reasonText(entry, name),
    );
    out[path] = [...new Set(words.filter(Boolean))];
  }
  return out;
}

/** errors (and codes) -> {summary element, for(prefix) -> text|null}. */
export function fieldErrors(errors, codes = null) {
  const entries = Object.entries(reasons(errors, codes));
  const summary = entries.length
    ? h(
        'div',
        { class: 'banner warn', role: 'alert' },
        h('p', null, '⚠ ', t('fix.serverSaid')),
        h(
          'ul',
          null,
          entries.map(([k, msgs]) => h('li', null, `${labelOf(k)}: ${[].concat(msgs).join(' ')}`)),
        ),
      )
    : null;
  return {
    summary,
    for(prefix) {
      const hits = entries.filter(([k]) => k === prefix || k.startsWith(`${prefix}.`));
      return hits.length ? hits.map(([, m]) => [].concat(m).join(' ')).join(' ') : null;
    },
  };
}

export function labelOf(key) {
  const known = [
    'observations',
    'service_given',
    'follow_up',
    'satisfaction',
    'feedback',
    'signature',
    'checked_in_at',
    'resident_id',
    'kind',
    'location',
    'reason',
    'visit_id',
    'changes',
    'qr_token',
  ];
  const root = String(key).split('.')[0];
  return known.includes(root) ? t(`field.${root}`) : key === '_request' ? t('field._request') : key;
}

/** All messages in one line, for lists. */
export function errorsText(errors, codes = null) {
  return Object.entries(reasons(errors, codes))
    .map(([k, m]) => `${labelOf(k)}: ${[].concat(m).join(' ')}`)
    .join('; ');
}
