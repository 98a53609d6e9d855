// What the status strip says: records waiting and refused, the last successful sync and the
// last attempt, whether a sync is running, and whether the server asked for a new login.
// Emits 'change' when it has read them again.
import { getMeta } from '../sync/db.js';
import * as outbox from '../sync/outbox.js';
import { emitter } from '../lib/events.js';

const events = emitter();
export const on = events.on;

let counts = { waiting: 0, problems: 0, total: 0 };
let lastSync = null;
let lastAttempt = null;
let authExpired = false;
let syncing = false;

export const current = () => ({ counts, lastSync, lastAttempt, authExpired, syncing });

/** Read the counts and the sync outcome again (after a save, a sync, a discard). */
export async function refresh() {
  [counts, lastSync, lastAttempt, authExpired] = await Promise.all([
    outbox.counts(),
    getMeta('last_sync'),
    getMeta('last_attempt'),
    getMeta('auth_expired', false),
  ]);
  events.emit('change');
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

/** True when no sync was tried in the last minute. */
export function syncIsStale(now = Date.now()) {
  const last = lastAttempt?.at ? new Date(lastAttempt.at) : null;
  return !last || now - last > 60e3;
}
