// Pure helpers of the supervisor and admin screens (tested in test/office.test.js).

/** {a: 1, unit_id: ['x', 'y'], empty: ''} -> '?a=1&unit_id=x&unit_id=y' (empty values left out). */
export function qs(params = {}) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const x of [].concat(v)) if (x !== undefined && x !== null && x !== '') sp.append(k, String(x));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

const DAY = 86400e3;

/** The ISO week ("2026-W48") of a calendar date given as 'YYYY-MM-DD' or a Date (its UTC day). */
export function isoWeek(d) {
  const x = typeof d === 'string' ? new Date(`${d}T00:00:00Z`) : new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const wd = (x.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(x.getTime() + (3 - wd) * DAY);
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1Monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY;
  const n = Math.floor((thursday.getTime() - week1Monday) / (7 * DAY)) + 1;
  return `${year}-W${String(n).padStart(2, '0')}`;
}

/** Monday and Sunday ('YYYY-MM-DD') of an ISO week. */
export function weekRange(week) {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * DAY + (Number(m[2]) - 1) * 7 * DAY;
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  return { from: iso(monday), to: iso(monday + 6 * DAY) };
}

/** The week n weeks after (or before, n < 0) the given one. */
export function shiftWeek(week, n) {
  const r = weekRange(week);
  if (!r) return week;
  return isoWeek(new Date(new Date(`${r.from}T00:00:00Z`).getTime() + n * 7 * DAY).toISOString().slice(0, 10));
}

/** 'YYYY-MM-DD' n days from a date string. */
export function addDays(date, n) {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + n * DAY).toISOString().slice(0, 10);
}

/** Today's date in the browser's zone as 'YYYY-MM-DD'. */
export function today(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export const STATUSES = ['missed', 'at_risk', 'on_track', 'met'];

/** The board's sorts (the server orders the rows; see docs/api-contract.md). */
export const BOARD_SORTS = ['priority', 'name', 'last_visit', '-last_visit', 'days_visited'];

/**
 * The board's query: the status filter ('' all, 'attention' = missed or at risk, or one status),
 * the sort and the page go to the server, which sorts and pages the whole list.
 */
export function boardQuery({ week, unit, status, sort, page }, perPage = 50) {
  const statuses = status === 'attention' ? ['missed', 'at_risk'] : status ? [status] : [];
  return { week: week || '', unit_id: unit || '', status: statuses, sort: sort || 'priority', page: page || 1, per_page: perPage };
}

/** Thrown in place of an answer that a newer load has made stale; the screen ignores it. */
export class Stale extends Error {
  constructor() {
    super('stale');
    this.name = 'Stale';
  }
}

/**
 * Loads of one screen that may overlap (a filter changed while the last load was still out).
 * Each call starts a load and returns {current, fresh}: current() is true until a later load
 * starts; fresh(promise) gives the promise's value, or throws Stale when a later load started
 * meanwhile. Whatever a load awaits through fresh() is never drawn late, so an older, slower
 * answer can never replace a newer list, and what is being typed in it.
 */
export function newestOnly() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    const current = () => mine === latest;
    const fresh = async (promise) => {
      const value = await promise;
      if (!current()) throw new Stale();
      return value;
    };
    return { current, fresh };
  };
}

/** A share as a whole percentage ('75%'), or an em dash when there is none. */
export const pct = (share) => (share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`);

/** met / residents, null when there are none. */
export const shareOf = (met, total) => (total ? met / total : null);

/** A colour band for a share (the number is always shown too): none, low, mid, high, full. */
export function band(share, target = 0.8) {
  if (share === null || share === undefined) return 'none';
  if (share >= 1) return 'full';
  if (share >= target) return 'high';
  if (share >= target / 2) return 'mid';
  return 'low';
}

/**
 * A trend line for shares (0..1 or null) in a w x h box with padding p: one run of points per
 * stretch without gaps, as SVG polyline "x,y x,y" strings.
 */
export function trendRuns(values, w = 120, h = 32, p = 3) {
  const n = values.length;
  const x = (i) => (n <= 1 ? w / 2 : p + (i * (w - 2 * p)) / (n - 1));
  const y = (v) => p + (1 - v) * (h - 2 * p);
  const runs = [];
  let cur = [];
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      if (cur.length) runs.push(cur);
      cur = [];
    } else cur.push(`${round1(x(i))},${round1(y(v))}`);
  });
  if (cur.length) runs.push(cur);
  return runs.map((r) => r.join(' '));
}
const round1 = (v) => Math.round(v * 10) / 10;

/** Pages of a paged answer: {page, pages, from, to} for "21–40 of 95". */
export function pageInfo({ page = 1, per_page: per = 50, total = 0 }) {
  const pages = Math.max(1, Math.ceil(total / per));
  return { page, pages, from: total ? (page - 1) * per + 1 : 0, to: Math.min(total, page * per), total };
}

/** Roles that get the office screens. */
export const isOffice = (user) => user?.role === 'supervisor' || user?.role === 'admin';
