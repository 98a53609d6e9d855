// Roster arithmetic: this week's count (server coverage plus visits the server has not
// counted yet), the order (who still needs a round first), grouping and search.
import { pinyinInitials, preparePinyin } from '../lib/pinyin.js';
import { dayKey, isoWeek } from '../lib/dates.js';
import { ruleFigures } from './rule-figures.js';

/**
 * localVisits: visits made on this phone (outbox and synced), [{resident_id, checked_in_at}].
 * Returns Map resident_id -> {days, all, last}: the days of the current week, every day this
 * phone holds a visit on (for the rules of a month or a year), the latest check-in.
 */
export function localVisitIndex(localVisits, now = new Date()) {
  const week = isoWeek(now);
  const idx = new Map();
  for (const v of localVisits) {
    const d = new Date(v.checked_in_at);
    let entry = idx.get(v.resident_id);
    if (!entry) idx.set(v.resident_id, (entry = { days: new Set(), all: new Set(), last: null }));
    if (isoWeek(d) === week) entry.days.add(dayKey(d));
    entry.all.add(dayKey(d));
    if (!entry.last || d > entry.last) entry.last = d;
  }
  return idx;
}

/**
 * This week's figures for one resident. The server's count covers every day up to its last
 * visit; local days after that day are ones the server has not counted yet.
 */
export function weekFigures(resident, local, now = new Date(), week = isoWeek(now)) {
  const byRule = ruleFigures(resident, local, now); // a year's or every N days
  if (byRule) return byRule;
  const cov = resident.coverage || {};
  const required = cov.required ?? 2;
  let days = cov.week === week ? cov.days_visited || 0 : 0;
  const serverLast = cov.last_visit_at ? new Date(cov.last_visit_at) : null;
  const serverLastDay = serverLast && isoWeek(serverLast) === week ? dayKey(serverLast) : null;
  let last = serverLast;
  if (local) {
    for (const d of local.days) if (!serverLastDay || d > serverLastDay) days++;
    if (local.last && (!last || local.last > last)) last = local.last;
  }
  return { days, required, last, needs: days < required };
}

/** "101-2" -> "0000000101-0000000002": plain string order is then natural order. */
export function naturalKey(text) {
  const s = String(text || '').toLowerCase();
  let out = '';
  let digits = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += s[i];
    else {
      if (digits) out += digits.padStart(10, '0');
      digits = '';
      out += s[i];
    }
  }
  return digits ? out + digits.padStart(10, '0') : out;
}

/** The part of a resident's order that never changes: room or address, then name (cached). */
function sortKey(r) {
  if (r._sort === undefined) {
    Object.defineProperty(r, '_sort', {
      value: `${naturalKey(r.room || r.address)}\u0002${naturalKey(r.name)}`,
      enumerable: false,
    });
  }
  return r._sort;
}

const pauseTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Residents with figures, grouped by unit (units by name), those still needing a round first,
 * then by room or address and name; or, given `order` (Map id -> place), in that order. Works a chunk at a time and sorts precomputed string keys
 * (no comparator calls), so 10,000 residents never block a slow phone for long.
 */
export async function buildRoster(
  units,
  residents,
  localIdx,
  now = new Date(),
  pause = pauseTask,
  order = null,
) {
  const week = isoWeek(now);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const byUnit = new Map();
  for (let i = 0; i < residents.length; i++) {
    if (i && i % 1000 === 0) await pause();
    const resident = residents[i];
    if (resident.status && resident.status !== 'active') continue;
    const figures = weekFigures(resident, localIdx.get(resident.id), now, week);
    let group = byUnit.get(resident.unit_id);
    if (!group)
      byUnit.set(
        resident.unit_id,
        (group = {
          id: resident.unit_id,
          name: unitName.get(resident.unit_id) || '—',
          items: [],
          keys: [],
          needing: 0,
        }),
      );
    // With an order kept from earlier (see state/roster.js), residents keep their places and only
    // those new since then are sorted in after them.
    const rank = order?.get(resident.id);
    const first =
      rank === undefined ? `1${figures.needs ? 0 : 1}` : `0${String(rank).padStart(9, '0')}`;
    group.keys.push(`${first}${sortKey(resident)}\u0002${group.items.length}`);
    group.items.push({ r: resident, ...figures });
    if (figures.needs) group.needing++;
  }
  const groups = [...byUnit.values()].sort((a, b) =>
    naturalKey(a.name) < naturalKey(b.name) ? -1 : 1,
  );
  for (const group of groups) {
    await pause();
    group.keys.sort();
    const items = group.items;
    group.items = group.keys.map((k) => items[Number(k.slice(k.lastIndexOf('\u0002') + 1))]);
    delete group.keys;
  }
  return groups;
}

/** The text a resident is found by: name, room, address, and pinyin initials of the name. */
export function searchKey(r) {
  if (r._key === undefined) {
    const name = (r.name || '').toLowerCase();
    Object.defineProperty(r, '_key', {
      value: [
        name,
        pinyinInitials(r.name || ''),
        (r.room || '').toLowerCase(),
        (r.address || '').toLowerCase(),
      ].join('\u0001'),
      enumerable: false,
    });
  }
  return r._key;
}

export function filterRoster(groups, query) {
  const q = query.trim().toLowerCase();
  if (!q) return groups;
  const out = [];
  for (const group of groups) {
    const items = group.items.filter((e) => searchKey(e.r).includes(q));
    if (items.length) out.push({ ...group, items, needing: items.filter((e) => e.needs).length });
  }
  return out;
}

/**
 * Work out search keys a chunk at a time, so the first letter typed does not stall: first the
 * Chinese collator alone (its data is slow to load), then 250 residents a task.
 */
export function warmSearchKeys(residents, chunk = 250) {
  let i = 0;
  const step = () => {
    const end = Math.min(residents.length, i + chunk);
    for (; i < end; i++) searchKey(residents[i]);
    if (i < residents.length) setTimeout(step, 0);
  };
  setTimeout(() => {
    preparePinyin();
    setTimeout(step, 0);
  }, 0);
}
