// Follow-up tasks on the phone (docs/tasks.md). Three places hold them:
//   tasks      the server's copy of each open task in the worker's scope, as the pull left it
//   outbox     tasks raised here and events made here, until the server answers for them
//   task_log   the events made here, kept while their task is on the phone: its history here
// What a screen shows is the server's copy with the events still waiting applied on top, so
// the list is right offline and becomes the server's word once it has them. Rows are sealed
// like every other (sync/vault.js): tasks hold residents' names and what was found.
import { db, uuid } from './db.js';
import { sealRows, openRows } from './vault.js';
import * as outbox from './outbox.js';

export const PRIORITIES = ['urgent', 'soon', 'routine'];
export const OPEN = ['open', 'in_progress'];
const RANK = { urgent: 0, soon: 1, routine: 2 };

/** A task as the screens read it, from one the phone raised (an outbox payload). */
function fromPayload(item) {
  const p = item.payload;
  return {
    id: p.id,
    resident_id: p.resident_id,
    resident_name: item.resident_name ?? null,
    unit_id: item.unit_id ?? null,
    title: p.title,
    details: p.details || '',
    priority: p.priority,
    status: 'open',
    source: 'manual',
    finding: null,
    visit_id: p.visit_id ?? null,
    assignee: p.assignee_id ? { id: p.assignee_id, display_name: item.assignee_name || '' } : null,
    due_on: p.due_on,
    created_at: p.created_at,
    updated_at: p.created_at,
    local: true,
  };
}

/** The task after one event, as the server applies it: a closed task changes only by reopening. */
export function applyEvent(task, event) {
  const closed = !OPEN.includes(task.status);
  if (closed && event.kind !== 'reopened') return task;
  const c = event.changes || {};
  switch (event.kind) {
    case 'started':
      return { ...task, status: 'in_progress' };
    case 'closed':
      return { ...task, status: 'done', outcome: c.outcome, closed_visit_id: event.visit_id };
    case 'cancelled':
      return { ...task, status: 'cancelled', outcome: c.outcome };
    case 'rescheduled':
      return { ...task, due_on: c.due_on };
    case 'reassigned':
      return { ...task, assignee: { id: c.assignee_id, display_name: '' } };
    case 'reopened':
      return { ...task, status: 'open', outcome: null };
    default:
      return task;
  }
}

/** Due date first, then urgent before soon before routine, then the oldest. */
export function compareTasks(a, b) {
  if (a.due_on !== b.due_on) return a.due_on < b.due_on ? -1 : 1;
  const rank = RANK[a.priority] - RANK[b.priority];
  if (rank) return rank;
  return String(a.created_at).localeCompare(String(b.created_at));
}

/**
 * Every task on the phone as it stands with what waits applied, by id; closed ones included
 * (a task closed here stays until the server removes it).
 */
export async function everyTask() {
  const [server, items] = await Promise.all([
    db.tasks.toArray().then((rows) => openRows('tasks', rows)),
    outbox.all(),
  ]);
  const byId = new Map(server.map((task) => [task.id, task]));
  for (const item of items)
    if (item.type === 'task' && !byId.has(item.id)) byId.set(item.id, fromPayload(item));
  const waiting = items
    .filter((i) => i.type === 'task_event' && i.state === outbox.PENDING)
    .map((i) => i.payload)
    .sort((a, b) => a.at.localeCompare(b.at));
  for (const event of waiting) {
    const task = byId.get(event.task_id);
    if (task) byId.set(task.id, applyEvent(task, event));
  }
  return byId;
}

/** The open tasks (of one resident, or all), sorted for the list. */
export async function openTasks({ residentId = null } = {}) {
  const all = await everyTask();
  const out = [];
  for (const task of all.values())
    if (OPEN.includes(task.status) && (!residentId || task.resident_id === residentId))
      out.push(task);
  return out.sort(compareTasks);
}

/** One task as it stands, or undefined. */
export async function task(id) {
  return (await everyTask()).get(id);
}

/** The events made here for a task, oldest first, each saying whether it still waits. */
export async function history(taskId) {
  const [logged, items] = await Promise.all([
    db.task_log
      .where('task_id')
      .equals(taskId)
      .toArray()
      .then((rows) => openRows('task_log', rows)),
    outbox.all(),
  ]);
  const states = new Map(items.map((i) => [i.id, i.state]));
  return logged
    .map((row) => ({ ...row.event, state: states.get(row.id) || 'synced' }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** A new task as the sync sends it (`source: manual`); `assignee_id` null means the sender. */
export function newTask({ residentId, title, details = '', priority, dueOn, assigneeId, visitId }) {
  return {
    id: uuid(),
    resident_id: residentId,
    title: title.trim(),
    details: details.trim(),
    priority,
    due_on: dueOn,
    assignee_id: assigneeId ?? null,
    visit_id: visitId ?? null,
    created_at: null, // set when it is saved
  };
}

/** A new event as the sync sends it. */
export function newEvent(taskId, kind, changes = {}, visitId = null) {
  return { id: uuid(), task_id: taskId, kind, at: null, changes, visit_id: visitId };
}

/**
 * The rows that put tasks and events in the outbox and events in the log, sealed (outside any
 * transaction: see sync/vault.js). A task's `extra` (its names for the screens) stays on its
 * outbox row; an event's is dropped. Neither is sent.
 */
export async function rowsFor(tasks, events, at, now = new Date()) {
  const stamped = (list) =>
    list.map((p) => {
      const key = p.task_id ? 'at' : 'created_at';
      return { ...p, [key]: p[key] || at };
    });
  const ts = stamped(tasks.map(({ extra, ...p }) => p));
  const es = stamped(events.map(({ extra, ...p }) => p));
  const boxed = [
    ...ts.map((p, i) => outbox.row('task', p, now, tasks[i].extra)),
    ...es.map((p) => outbox.row('task_event', p, now)),
  ];
  return {
    outbox: await sealRows('outbox', boxed),
    log: await sealRows(
      'task_log',
      es.map((event) => ({ id: event.id, task_id: event.task_id, event })),
    ),
  };
}

/** Write rows made by rowsFor(), in the caller's transaction. */
export async function writeRows(rows) {
  await db.outbox.bulkAdd(rows.outbox);
  await db.task_log.bulkAdd(rows.log);
}

/** Write rows made by rowsFor() in a transaction of their own. */
export const saveRows = (rows) =>
  db.transaction('rw', db.outbox, db.task_log, () => writeRows(rows));

/** Make one event now (start, note, close, reschedule from the task's screen). */
export async function addEvent(event, at, now = new Date()) {
  await saveRows(await rowsFor([], [event], at, now));
  return event.id;
}

/** Raise a task now, outside a visit. `extra`: {resident_name, unit_id, assignee_name}. */
export async function addTask(payload, extra, at, now = new Date()) {
  await saveRows(await rowsFor([{ ...payload, extra }], [], at, now));
  return payload.id;
}

/**
 * The server holds a task the phone raised: keep the phone's copy of it among the pulled ones
 * until the pull sends the server's (this sync's, normally), so it never blinks out.
 */
export async function keepAccepted(items) {
  const made = items.filter((i) => i.type === 'task').map(fromPayload);
  if (!made.length) return;
  const held = await db.tasks.bulkGet(made.map((t) => t.id));
  const rows = await sealRows(
    'tasks',
    made.filter((t, i) => !held[i]).map(({ local, ...t }) => ({ ...t, updated_at: null })),
  );
  await db.tasks.bulkPut(rows);
}

/** A server time as milliseconds (its microseconds cut to what Date.parse reads). */
const instant = (stamp) => Date.parse(String(stamp).replace(/(\.\d{3})\d+/, '$1'));

/**
 * Of a task's pulled copy and the one held, the later by the server's `updated_at`. Two syncs
 * in flight at once (the page's and the service worker's) can answer out of order: the
 * earlier answer arriving last must not put back the task as it was before its latest change.
 * A copy kept from an accepted upload has no server time yet, so any pulled copy replaces it.
 */
export function laterCopy(pulled, held) {
  if (!held?.updated_at || !pulled.updated_at) return pulled;
  return instant(held.updated_at) > instant(pulled.updated_at) ? held : pulled;
}

/** The pull's tasks and removals (and, with them gone, their history here). */
export async function applyPulled(tasks = [], removed = []) {
  if (tasks.length) {
    const held = await openRows(
      'tasks',
      (await db.tasks.bulkGet(tasks.map((t) => t.id))).filter(Boolean),
    );
    const byId = new Map(held.map((t) => [t.id, t]));
    tasks = tasks.map((t) => laterCopy(t, byId.get(t.id)));
  }
  const rows = await sealRows('tasks', tasks);
  await db.transaction('rw', db.tasks, db.task_log, async () => {
    if (rows.length) await db.tasks.bulkPut(rows);
    if (removed.length) {
      await db.tasks.bulkDelete(removed);
      await db.task_log.where('task_id').anyOf(removed).delete();
    }
  });
}

/** After a full resend: drop the tasks it did not carry. Returns how many went. */
export async function prune(seen) {
  const held = await db.tasks.toCollection().primaryKeys();
  const gone = held.filter((id) => !seen.has(id));
  if (gone.length) await applyPulled([], gone);
  return gone.length;
}
