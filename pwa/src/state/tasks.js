// Follow-up tasks as the worker's screens read them (sync/tasks.js keeps them): mine, a
// resident's, one with its history, and the changes a worker makes to one outside a visit
// (start, note, close, reschedule), each an event in the outbox, synced like a visit.
import * as store from '../sync/tasks.js';
import { rfc3339, today } from '../lib/dates.js';
import * as session from './session.js';
import * as status from './status.js';
import * as syncing from './syncing.js';

export const PRIORITIES = store.PRIORITIES;

/** Whether a task is the worker's own (one raised here with no assignee is the sender's). */
export function isMine(task, me = session.current()?.user?.id) {
  return !task.assignee || task.assignee.id === me;
}

/** Due before today on this phone. */
export const isOverdue = (task, day = today()) => task.due_on < day;

/** The worker's open tasks: due first, urgent first. */
export async function mine() {
  const me = session.current()?.user?.id;
  return (await store.openTasks()).filter((task) => isMine(task, me));
}

/** A resident's open tasks, whoever holds them. */
export const forResident = (residentId) => store.openTasks({ residentId });

export const get = (id) => store.task(id);
export const history = (id) => store.history(id);

/** Make one change to a task now; it waits in the outbox and a sync is asked for. */
export async function act(taskId, kind, changes = {}) {
  await store.addEvent(store.newEvent(taskId, kind, changes), rfc3339(new Date()));
  await status.refresh();
  syncing.afterSave();
}
