// What the status strip says: records waiting and refused, the last successful sync and the
// last attempt, whether a sync is running, whether the server asked for a new login, and how
// many of the worker's follow-up tasks are overdue.
// Emits 'change' when it has read them again.
import { getMeta } from '../sync/db.js';
import * as outbox from '../sync/outbox.js';
import { openTasks } from '../sync/tasks.js';
import { today } from '../lib/dates.js';
import * as session from './session.js';
import { emitter } from '../lib/events.js';

const events = emitter();
export const on = events.on;

let counts = { waiting: 0, problems: 0, total: 0 };
let tasks = { open: 0, overdue: 0 }; // the worker's own open follow-up tasks
let lastSync = null;
let lastAttempt = null;
let authExpired = false;
let revoked = null; // {at, draft}: the office signed this phone out and the roster was removed
let syncing = false;
let backAt = 0;

export const current = () => ({
  counts,
  tasks,
  lastSync,
  lastAttempt,
  authExpired,
  revoked,
  syncing,
  backAt,
});

/** The phone's network came back: what was heard before it went says nothing about now. */
export function networkBack(now = Date.now()) {
  backAt = Math.floor(now / 1000) * 1000; // attempts are timed to the second
  events.emit('change');
}

/** Read the counts and the sync outcome again (after a save, a sync, a discard). */
export async function refresh() {
  [counts, lastSync, lastAttempt, authExpired, revoked, tasks] = await Promise.all([
    outbox.counts(),
    getMeta('last_sync'),
    getMeta('last_attempt'),
    getMeta('auth_expired', false),
    getMeta('revoked'),
    taskCounts(),
  ]);
  events.emit('change');
}

/** How many of the worker's own tasks are open, and how many of those overdue. */
async function taskCounts(day = today()) {
  const me = session.current()?.user?.id;
  let open = 0;
  let overdue = 0;
  for (const task of await openTasks())
    if (!task.assignee || task.assignee.id === me) {
      open++;
      if (task.due_on < day) overdue++;
    }
  return { open, overdue };
}

/** A sync has begun: the strip says so at once. */
export function syncStarted() {
  syncing = true;
  events.emit('change');
}

/** A sync has ended; the refresh() that follows shows its outcome. */
export function syncEnded() {
  syncing = false;
}

/** The server refused the session (true), or a new login was accepted (false). */
export function setAuthExpired(expired) {
  authExpired = expired;
}

/**
 * What the strip says about the connection, from what is true now: `online` is the phone's
 * network (navigator.onLine), `attempt` the last sync attempt, `syncing` whether one is under
 * way, `retrying` whether a retry after a failure is scheduled. 'online' only when the server
 * answered the last attempt; with a network but no answer 'unreachable'; 'connecting' before
 * any answer since the network came back. `failure` is the reason worth showing, or null: none
 * while a newer attempt is under way, none after a success, and never "no network" once the
 * phone has one again.
 */
export function connection({
  online,
  attempt,
  syncing: running = false,
  retrying = false,
  backAt = 0,
}) {
  const quiet = { failure: null, retrying: false };
  if (!online) return { state: 'offline', ...quiet };
  // Nothing heard since the network came back (or ever): the next attempt will tell.
  if (!attempt || attempt.reason === 'offline' || new Date(attempt.at).getTime() < backAt)
    return { state: 'connecting', ...quiet };
  if (attempt.ok || attempt.reason === 'auth') return { state: 'online', ...quiet };
  return {
    state: 'unreachable',
    failure: running || attempt.reason === 'network' ? null : attempt.reason,
    retrying: running || retrying,
  };
}

/** True when no sync was tried in the last minute. */
export function syncIsStale(now = Date.now()) {
  const last = lastAttempt?.at ? new Date(lastAttempt.at) : null;
  return !last || now - last > 60e3;
}
