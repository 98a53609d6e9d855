// When the phone syncs, and what follows. A sync the worker caused (Sync now, logging in, a
// save) goes at once; those nobody asked for (on open, on `online`, on returning to the app,
// every 3 minutes) go after the sync client's random wait. Callers that share a run share its
// outcome, acted on once. Emits 'synced' (outcome) once the status and the roster are read
// again, 'loginNeeded' when the server refused the session, and 'revoked' when the office
// signed the phone out (the store has forgotten the roster and the draft; the outbox stays).
import { createSyncClient } from '../sync/client.js';
import { store } from '../sync/store.js';
import { requestBackgroundSync } from '../lib/update.js';
import { emitter } from '../lib/events.js';
import * as session from './session.js';
import * as status from './status.js';
import * as roster from './roster.js';
import * as draft from './draft.js';

const SYNC_EVERY_MS = 3 * 60e3;
// After a sync that failed although the phone has a network (the server was down or did not
// answer), try again soon, then less often: what waits reaches the server within about 40 s
// (the longest delay plus the client's random wait) of it answering again, in every browser,
// Background Sync or not.
const RETRY_DELAYS_MS = [5e3, 10e3, 20e3, 30e3];
const RETRIED_REASONS = ['network', 'timeout', 'server'];
let retryTimer = null;
let retries = 0;

const events = emitter();
export const on = events.on;

const handled = new WeakSet(); // sync outcomes already acted on (callers may share a run)
const client = createSyncClient({
  store,
  appVersion: __APP_VERSION__,
  onStart: () => status.syncStarted(),
});

/**
 * Sync at once, or with `automatic: true` after the sync client's random wait. Resolves with the
 * outcome (null when this browser does not sync: nobody logged in, or an office user).
 */
export async function sync({ automatic = false } = {}) {
  if (!session.current() || session.isOffice()) return null;
  const outcome = await client.run({ automatic });
  if (handled.has(outcome)) return outcome;
  handled.add(outcome);
  retryAfterFailure(outcome);
  status.syncEnded();
  await afterSync(outcome);
  if (!outcome.ok && outcome.reason === 'auth') events.emit('loginNeeded', outcome);
  return outcome;
}

/** Schedule the next try after a failure worth retrying; a success resets the delays. */
function retryAfterFailure(outcome) {
  clearTimeout(retryTimer);
  retryTimer = null;
  if (outcome.ok || !RETRIED_REASONS.includes(outcome.reason)) {
    retries = 0;
    return;
  }
  const delay = RETRY_DELAYS_MS[Math.min(retries, RETRY_DELAYS_MS.length - 1)];
  retries += 1;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (navigator.onLine) sync({ automatic: true });
  }, delay);
}

/** A sync ended here or in the service worker (Background Sync): read what it changed. */
export async function afterSync(outcome) {
  if (outcome?.revoked) draft.forget();
  await status.refresh();
  await roster.afterSync(outcome);
  events.emit('synced', outcome);
  if (outcome?.revoked) events.emit('revoked', outcome);
}

/** A record was saved: ask for a Background Sync, and sync now if there is a signal. */
export function afterSave() {
  // Not one after the other: with no service worker (blocked, or private browsing) the
  // Background Sync request never settles, and the sync must not wait for it.
  requestBackgroundSync();
  if (navigator.onLine) sync();
}

/** The automatic syncs: the network coming back, the app shown again, and the timer. */
export function scheduleAutomatic() {
  window.addEventListener('online', () => sync({ automatic: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && status.syncIsStale()) sync({ automatic: true });
  });
  setInterval(() => {
    if (navigator.onLine && document.visibilityState !== 'hidden') sync({ automatic: true });
  }, SYNC_EVERY_MS);
}

/** True while a retry after a failed sync is scheduled (the strip says "retrying"). */
export const isRetrying = () => retryTimer !== null;
