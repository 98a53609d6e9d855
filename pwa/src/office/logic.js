// Pure helpers of the supervisor and admin screens (tested in test/office.test.js).

/** {a: 1, unit_id: ['x', 'y'], empty: ''} -> '?a=1&unit_id=x&unit_id=y' (empty values left out). */
export function qs(params = {}) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const x of [].concat(v))
      if (x !== undefined && x !== null && x !== '') sp.append(k, String(x));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
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
  return {
    week: week || '',
    unit_id: unit || '',
    status: statuses,
    sort: sort || 'priority',
    page: page || 1,
    per_page: perPage,
  };
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
export const pct = (share) =>
  share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`;

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
  return {
    page,
    pages,
    from: total ? (page - 1) * per + 1 : 0,
    to: Math.min(total, page * per),
    total,
  };
}
