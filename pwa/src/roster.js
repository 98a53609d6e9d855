// Roster arithmetic: this week's count (server coverage plus visits the server has not
// counted yet), the order (who still needs a round first), grouping and search.
import { pinyinInitials } from './pinyin.js';

/** Local calendar day, YYYY-MM-DD, of an RFC 3339 time or Date. */
export function dayKey(t) {
  const d = t instanceof Date ? t : new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** ISO week label (2026-W48) of a local date. */
export function isoWeek(d = new Date()) {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const y = t.getUTCFullYear();
  const week = Math.ceil(((t - Date.UTC(y, 0, 1)) / 86400e3 + 1) / 7);
  return `${y}-W${String(week).padStart(2, '0')}`;
}

/**
 * localVisits: visits made on this phone (outbox and synced), [{resident_id, checked_in_at}].
 * Returns Map resident_id -> {days, last} for the current week.
 */
export function localVisitIndex(localVisits, now = new Date()) {
  const week = isoWeek(now);
  const idx = new Map();
  for (const v of localVisits) {
    const d = new Date(v.checked_in_at);
    let e = idx.get(v.resident_id);
    if (!e) idx.set(v.resident_id, (e = { days: new Set(), last: null }));
    if (isoWeek(d) === week) e.days.add(dayKey(d));
    if (!e.last || d > e.last) e.last = d;
  }
  return idx;
}

/**
 * This week's figures for one resident. The server's count covers every day up to its last
 * visit; local days after that day are ones the server has not counted yet.
 */
export function weekFigures(resident, local, now = new Date()) {
  const cov = resident.coverage || {};
  const thisWeek = cov.week === isoWeek(now);
  const required = cov.required ?? 2;
  let days = thisWeek ? cov.days_visited || 0 : 0;
  const serverLast = cov.last_visit_at ? new Date(cov.last_visit_at) : null;
  const serverLastDay = serverLast && isoWeek(serverLast) === isoWeek(now) ? dayKey(serverLast) : null;
  let last = serverLast;
  if (local) {
    for (const d of local.days) if (!serverLastDay || d > serverLastDay) days++;
    if (local.last && (!last || local.last > last)) last = local.last;
  }
  return { days, required, last, needs: days < required };
}

const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Residents with figures, grouped by unit (units by name), those still needing a round first. */
export function buildRoster(units, residents, localIdx, now = new Date()) {
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const groups = new Map();
  for (const r of residents) {
    if (r.status && r.status !== 'active') continue;
    const w = weekFigures(r, localIdx.get(r.id), now);
    const entry = { r, ...w };
    let g = groups.get(r.unit_id);
    if (!g) groups.set(r.unit_id, (g = { id: r.unit_id, name: unitName.get(r.unit_id) || '—', items: [] }));
    g.items.push(entry);
  }
  const out = [...groups.values()].sort((a, b) => natural.compare(a.name, b.name));
  for (const g of out) {
    g.items.sort((a, b) => b.needs - a.needs || natural.compare(a.r.room || a.r.address || '', b.r.room || b.r.address || '') || natural.compare(a.r.name, b.r.name));
    g.needing = g.items.filter((e) => e.needs).length;
  }
  return out;
}

/** The text a resident is found by: name, room, address, and pinyin initials of the name. */
export function searchKey(r) {
  if (r._key === undefined) {
    const name = (r.name || '').toLowerCase();
    Object.defineProperty(r, '_key', {
      value: [name, pinyinInitials(r.name || ''), (r.room || '').toLowerCase(), (r.address || '').toLowerCase()].join('\u0001'),
      enumerable: false,
    });
  }
  return r._key;
}

export function filterRoster(groups, query) {
  const q = query.trim().toLowerCase();
  if (!q) return groups;
  const out = [];
  for (const g of groups) {
    const items = g.items.filter((e) => searchKey(e.r).includes(q));
    if (items.length) out.push({ ...g, items, needing: items.filter((e) => e.needs).length });
  }
  return out;
}
