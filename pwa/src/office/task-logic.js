// Pure helpers of the follow-up task screens (tested in test/tasks.test.js): the board's
// filters as the API's query, due dates and durations in words, and a history entry's changes.

export const TASK_PRIORITIES = ['urgent', 'soon', 'routine'];
export const TASK_FINDINGS = ['living', 'emotional', 'physical', 'unsatisfied', 'follow_up'];
export const TASK_ASSIGN_TO = ['visiting_worker', 'unit_supervisor'];
export const TASK_SOURCES = ['finding', 'manual', 'discharge', 'case', 'meeting'];
export const TASK_DUES = ['overdue', 'today', 'week'];
export const TASK_SORTS = ['due', '-due', 'priority', 'created'];
/** The status filter's choices: 'open' is open or in progress, 'closed' done or cancelled. */
export const TASK_STATUS_FILTERS = ['open', 'in_progress', 'done', 'cancelled', 'closed', 'all'];
export const OPEN_STATUSES = ['open', 'in_progress'];

const STATUS_SETS = {
  open: OPEN_STATUSES,
  closed: ['done', 'cancelled'],
  all: [],
};

/** A status filter → the statuses the API is asked for ([] for all). */
export const statusesFor = (status) => STATUS_SETS[status] ?? (status ? [status] : []);

/**
 * The board's filters → the query of GET /api/v1/tasks (and, without paging, of tasks.csv, so
 * the export holds exactly what the list shows).
 */
export function taskQuery(filters, { perPage = 25, paged = true } = {}) {
  const q = {
    unit_id: filters.unit || '',
    ...(filters.office ? { office_id: filters.office } : {}),
    resident_id: filters.resident || '',
    status: statusesFor(filters.status ?? 'open'),
    priority: filters.priority || '',
    assignee_id: filters.assignee || '',
    due: filters.due || '',
    source: filters.source || '',
    sort: filters.sort || 'due',
  };
  if (paged) Object.assign(q, { page: filters.page || 1, per_page: perPage });
  return q;
}

export const isOpen = (task) => OPEN_STATUSES.includes(task.status);

const dayNumber = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86400e3);

/**
 * Where a task's due date stands against today (both 'YYYY-MM-DD', the institution's days):
 * {kind: 'overdue', days} (days late), {kind: 'today'}, {kind: 'due', days} (days left), or
 * {kind: 'closed'} once it is no longer open.
 */
export function dueState(task, today) {
  if (!isOpen(task)) return { kind: 'closed' };
  if (!task.due_on) return { kind: 'none' };
  const days = dayNumber(task.due_on) - dayNumber(today);
  if (days < 0 || task.overdue) return { kind: 'overdue', days: Math.max(1, -days) };
  if (days === 0) return { kind: 'today' };
  return { kind: 'due', days };
}

/**
 * Hours to close → {unit, n} for words: under an hour in minutes, under two days in hours
 * (whole, or one decimal below 10), from two days on in days with one decimal; null stays null
 * (nothing closed).
 */
export function duration(hours) {
  if (hours === null || hours === undefined || Number.isNaN(hours)) return null;
  if (hours < 1) return { unit: 'min', n: Math.round(hours * 60) };
  if (hours < 48) return { unit: 'h', n: hours < 10 ? round1(hours) : Math.round(hours) };
  return { unit: 'd', n: round1(hours / 24) };
}
const round1 = (v) => Math.round(v * 10) / 10;

/**
 * The fields an event changed, in a fixed order, as [field, value] pairs for the history:
 * e.g. [['assignee_id', 'uuid'], ['outcome', 'Called the son']]. Status is left out: the
 * event's kind already says it.
 */
const CHANGE_ORDER = ['assignee_id', 'due_on', 'priority', 'outcome', 'note'];
export function eventChanges(event) {
  const changes = event?.changes || {};
  return CHANGE_ORDER.filter(
    (k) => changes[k] !== undefined && changes[k] !== null && changes[k] !== '',
  ).map((k) => [k, changes[k]]);
}

/** Tasks with the open ones first (by due date), then the closed ones, newest closed first. */
export function openFirst(tasks) {
  const open = tasks.filter(isOpen).sort((a, b) => cmp(a.due_on, b.due_on));
  const closed = tasks
    .filter((x) => !isOpen(x))
    .sort((a, b) => cmp(b.closed_at || b.updated_at, a.closed_at || a.updated_at));
  return [...open, ...closed];
}
const cmp = (a, b) => String(a || '').localeCompare(String(b || ''));

/**
 * The people a task may be given to: the unit's workers and supervisors the screen can see,
 * and whoever holds it or has tasks on the board now, each once, by name.
 */
export function assigneeChoices(...lists) {
  const seen = new Map();
  for (const list of lists)
    for (const p of list || [])
      if (p?.id && !seen.has(p.id) && p.role !== 'admin')
        seen.set(p.id, { id: p.id, display_name: p.display_name || p.username || '—' });
  return [...seen.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
}

/** A Web Push key (base64url, as the server gives it) → the bytes pushManager.subscribe takes. */
export function keyBytes(base64url) {
  const pad = '='.repeat((4 - (base64url.length % 4)) % 4);
  const b64 = (base64url + pad).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/**
 * The time-to-close report → its rows, each {key, closed (done), cancelled, on_time,
 * on_time_share, median_hours, p90_hours}, by priority (urgent first, every priority listed)
 * and by unit.
 */
export function closeRows(report) {
  const row = (r, key) => ({
    key,
    closed: r?.closed ?? 0,
    cancelled: r?.cancelled ?? 0,
    on_time: r?.on_time ?? null,
    on_time_share: r?.on_time_share ?? null,
    median_hours: r?.median_hours ?? null,
    p90_hours: r?.p90_hours ?? null,
  });
  const byPriority = new Map((report.by_priority || []).map((r) => [r.priority, r]));
  return {
    total: row(report.total || {}, 'total'),
    priorities: TASK_PRIORITIES.map((p) => row(byPriority.get(p), p)),
    units: (report.by_unit || []).map((r) => ({
      ...row(r, r.unit?.id || r.unit_id),
      name: r.unit?.name || r.unit_name || '—',
    })),
  };
}

/** The share closed on time per unit that closed something, in percent, for a bar chart. */
export function onTimeChart(rows) {
  const shown = rows.units.filter((u) => u.closed > 0 && u.on_time_share !== null);
  return { labels: shown.map((u) => u.name), values: shown.map((u) => u.on_time_share * 100) };
}
