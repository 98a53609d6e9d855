// Strings and dates in the worker's language. Every string lives in a catalog; both
// catalogs have the same keys (test/i18n.test.js).
import en from './en.json';
import zh from './zh-CN.json';

export const catalogs = { 'zh-CN': zh, en };
export const LANGS = Object.keys(catalogs);
let current = 'en';

/** The setting if there is one, else the phone's language, else English. */
export function pickLang(setting, phoneLangs = []) {
  if (setting && catalogs[setting]) return setting;
  for (const l of phoneLangs) {
    const low = String(l).toLowerCase();
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'en';
}

export function setLang(l) {
  current = catalogs[l] ? l : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

export const lang = () => current;

/** t('roster.count', {n: 3}) — {name} placeholders; a missing key shows itself. */
export function t(key, params, l = current) {
  const s = catalogs[l]?.[key] ?? catalogs.en[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (m, k) => params[k] ?? m) : s;
}

export function fmtTime(d, l = current) {
  return new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' }).format(toDate(d));
}

/**
 * Today → "today" + time; this week → weekday + time; older → date + time. The day and the time
 * are formatted apart and joined by one space, so every language reads "今天 10:00", "周一 15:47".
 */
export function fmtWhen(d, now = new Date(), l = current) {
  const x = toDate(d);
  const days = (now - x) / 86400e3;
  let day;
  if (x.toDateString() === now.toDateString()) day = t('when.today', null, l);
  else {
    const opts = days < 6 && days >= 0 ? { weekday: 'short' } : { month: 'short', day: 'numeric' };
    day = new Intl.DateTimeFormat(l, opts).format(x);
  }
  return `${day} ${fmtTime(x, l)}`;
}

/** A care level as the worker reads it: the translation of a known one, else its own name. */
export function careLevelName(level, l = current) {
  if (!level) return '—';
  const key = `careLevel.${level}`;
  return catalogs[l]?.[key] ?? catalogs.en[key] ?? level;
}

export function fmtDate(d, l = current) {
  return new Intl.DateTimeFormat(l, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(toDate(d));
}

const toDate = (d) => (d instanceof Date ? d : new Date(d));
