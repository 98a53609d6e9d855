// The office screen's plain pieces (no DOM): which office to show first, the documents by kind
// and the annual plans by year, the year's team rule as checks, who is in post on a day, and
// an upload that reports its progress.
import { ApiError } from '../lib/api.js';

export const POSITIONS = ['head', 'fulltime', 'parttime', 'volunteer'];
export const DOCUMENT_KINDS = ['annual_plan', 'staff_introduction', 'rules', 'finance', 'evidence'];
// The codes the office's facts answer with beyond the common ones (docs/office-facts.md).
export const OWN_CODES = ['file_type', 'too_large', 'before_start', 'overlap'];

/** The offices one reaches; one's own first when one works at an office. */
export function reachedOffices(organisations) {
  return (organisations || []).filter((o) => o.kind === 'office' && o.reached !== false);
}

/** The office to show: the one asked for if reached, else one's own, else the first. */
export function defaultOffice(offices, user, wanted) {
  const ids = offices.map((o) => o.id);
  if (wanted && ids.includes(wanted)) return wanted;
  if (user?.organisation_id && ids.includes(user.organisation_id)) return user.organisation_id;
  return ids[0] || '';
}

/** {kind: [documents]} in DOCUMENT_KINDS' order, each newest first as the server sends. */
export function documentsByKind(documents) {
  const out = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, []]));
  for (const d of documents || []) (out[d.kind] ||= []).push(d);
  return out;
}

/** [[year, [plans]]], the latest year first; plans without a year last. */
export function plansByYear(documents) {
  const years = new Map();
  for (const d of documents || []) {
    if (d.kind !== 'annual_plan') continue;
    const key = d.year ?? null;
    if (!years.has(key)) years.set(key, []);
    years.get(key).push(d);
  }
  return [...years.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : b - a));
}

/** The rules' three checks of a year's team: [{key, ok, n?, min?}]. */
export function ruleChecks(rule) {
  if (!rule) return [];
  return [
    { key: 'head', ok: rule.head },
    { key: 'fulltime', ok: rule.fulltime, min: rule.min_fulltime },
    { key: 'others', ok: rule.others, n: rule.others_count, min: rule.min_others },
  ];
}

/** Whether a staff entry is in post on an ISO day. */
export function inPost(entry, day) {
  return entry.started_on <= day && (!entry.ended_on || entry.ended_on >= day);
}

/** The body of a PATCH: only the fields whose value changed (empty strings kept as such). */
export function changedFields(entry, values) {
  const out = {};
  for (const [k, v] of Object.entries(values)) {
    const was = entry[k] ?? (k === 'ended_on' || k === 'user_id' ? null : '');
    if (v !== was) out[k] = v;
  }
  return out;
}

/** A size in words: 820 B, 12.3 KB, 4.5 MB. */
export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * POST a multipart form with the token, telling onProgress(fraction) as the bytes go:
 * resolves with the answer's JSON, rejects with an ApiError as lib/api.js makes them.
 */
export function uploadForm(path, form, token, onProgress, XHR = globalThis.XMLHttpRequest) {
  return new Promise((resolve, reject) => {
    const xhr = new XHR();
    xhr.open('POST', path);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.timeout = 300_000;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = new ApiError(xhr.status, data?.detail || data?.title);
      if (data?.errors) err.errors = data.errors;
      if (data?.codes) err.codes = data.codes;
      if (data?.code) err.code = data.code;
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network'));
    xhr.ontimeout = () => reject(new ApiError(0, 'timeout'));
    xhr.send(form);
  });
}

/** The problem with this screen's own codes put in words (`words(code)`, or null to keep the
 * server's message), so the form shows them in the user's language. */
export function withOwnWords(err, words) {
  if (!err?.codes) return err;
  const codes = {};
  for (const [path, reasons] of Object.entries(err.codes)) {
    codes[path] = (Array.isArray(reasons) ? reasons : [reasons]).map((r) =>
      r && OWN_CODES.includes(r.code) && words(r.code) ? { message: words(r.code) } : r,
    );
  }
  return Object.assign(Object.create(Object.getPrototypeOf(err)), err, {
    codes,
    message: err.message,
  });
}
