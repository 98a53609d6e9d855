// The sync client (docs/api-contract.md, "Sync"). One call of run() pushes the outbox in
// batches and pulls roster changes until the server says there is no more.
//
// Rules it keeps: an outbox record is deleted only after `created`/`duplicate` (the store does
// that); a 401 keeps everything and asks for a new login; a 413 splits the batch; a timeout or
// a network error is a failure, said as such; `reset: true` replaces the roster (and the tasks)
// once all pages of the answer have arrived. Tasks and task events travel in the same request
// as visits (docs/tasks.md), after them; then cases and case records (docs/cases.md).
//
// Automatic syncs (the timer, the network or the app coming back, Background Sync) first wait
// a random moment of up to AUTO_SYNC_JITTER_MS: events that every phone sees at once (the
// ward's Wi-Fi returning, the end of a shift) would otherwise bring them all to the server in
// the same second. A sync the worker asked for goes at once, and cuts such a wait short. After
// a 503 or 429 with Retry-After, automatic syncs also wait until that time has passed.
//
// A 401 before the session's own expiry means the office signed the phone out (the device was
// revoked, or the account closed): the outcome says `revoked`, and the store forgets the roster.
// A store that is `locked` (a PIN is set and this page or service worker has not the key)
// syncs nothing and says so.

import { rfc3339 } from '../lib/dates.js';

export const MAX_BATCH = 200;
export const MAX_BODY_BYTES = 2_000_000;
export const AUTO_SYNC_JITTER_MS = 10_000;
// Photos of activities go in requests of their own, a few at a time (docs/activities.md).
export const MAX_PHOTOS = 4;

export class SyncError extends Error {
  constructor(reason, message, status = null, retryAfter = null) {
    super(message || reason);
    this.reason = reason; // 'offline' | 'timeout' | 'auth' | 'server' | 'network' | 'locked'
    this.status = status;
    this.retryAfter = retryAfter; // seconds the server asked us to wait (503, 429), or null
  }
}

/** The random wait before an automatic sync, in whole ms: at least 0, less than maxMs. */
export function jitterDelay(random = Math.random, maxMs = AUTO_SYNC_JITTER_MS) {
  if (!(maxMs > 0)) return 0;
  return Math.min(maxMs - 1, Math.max(0, Math.floor(random() * maxMs)));
}

/** Seconds from a Retry-After header (delay-seconds or an HTTP date); null if absent or bad. */
export function retryAfterSeconds(value, now = new Date()) {
  if (value === null || value === undefined || String(value).trim() === '') return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Whether a 401 says the office signed this phone out rather than the session running out:
 * the problem's `code` or `type` when the server names it, otherwise the time — a token
 * refused more than a minute before its `expires_at` (by the server's clock, from the answer's
 * Date header, else the phone's) was revoked, or its account closed.
 */
export function revokedBy401(text, session, serverDate, now = new Date()) {
  let problem = null;
  try {
    problem = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const named = `${problem?.code || ''} ${problem?.type || ''}`;
  if (/device[-_]revoked/.test(named)) return true;
  if (/session[-_]expired/.test(named)) return false;
  const expires = Date.parse(session?.expires_at || '');
  if (Number.isNaN(expires)) return false;
  const heard = Date.parse(serverDate || '');
  return (Number.isNaN(heard) ? now.getTime() : heard) < expires - 60e3;
}

const sleepFor = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** gzip a string with CompressionStream; null where the browser has none. */
export async function gzip(text) {
  if (typeof CompressionStream === 'undefined') return null;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const byteLength = (s) => new TextEncoder().encode(s).length;

/**
 * store: { session(), cursor(), setCursor(c), pendingItems(), applyResults(results, items, now),
 *          markRejected(id, errors), applyRoster(page), pruneRoster(unitIds, residentIds),
 *          pruneTasks(taskIds)?, pruneCases(caseIds)?, recordOutcome(outcome) }
 */
export function createSyncClient({
  store,
  fetchImpl = (...a) => fetch(...a),
  appVersion = 'dev',
  timeoutMs = 30_000,
  now = () => new Date(),
  compress = gzip,
  maxBatch = MAX_BATCH,
  maxBytes = MAX_BODY_BYTES,
  baseUrl = '',
  random = Math.random,
  jitterMs = AUTO_SYNC_JITTER_MS,
  sleep = sleepFor,
  onStart = () => {},
}) {
  let running = null;
  let waiting = null; // an automatic run in its wait: { promise, release }
  let notBefore = 0; // ms since the epoch: the server asked for no automatic sync before then
  let useGzip = true;

  async function post(token, body) {
    const json = JSON.stringify(body);
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
      'X-Rounds-App': appVersion,
    };
    let payload = json;
    if (useGzip && compress && json.length > 1024) {
      const zipped = await compress(json);
      if (zipped) {
        payload = zipped;
        headers['Content-Encoding'] = 'gzip';
      }
    }
    const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl?.abort();
    }, timeoutMs);
    let res;
    try {
      res = await fetchImpl(`${baseUrl}/api/v1/sync`, {
        method: 'POST',
        headers,
        body: payload,
        signal: ctrl?.signal,
        credentials: 'omit',
      });
      if (res.status === 415 && headers['Content-Encoding']) {
        useGzip = false; // the server does not take gzip bodies: send plain from now on
        clearTimeout(timer);
        return post(token, body);
      }
      const text = await res.text(); // the whole answer must arrive before the timeout
      return { status: res.status, headers: res.headers, text };
    } catch (err) {
      if (timedOut) throw new SyncError('timeout', 'The server did not answer in time');
      throw new SyncError('network', err?.message || 'Network error');
    } finally {
      clearTimeout(timer);
    }
  }

  function problemDetail(text) {
    try {
      const p = JSON.parse(text);
      return p.detail || p.title || null;
    } catch {
      return null;
    }
  }

  /** Split items into batches of at most maxBatch that each serialise under maxBytes. */
  function batches(items) {
    const out = [];
    let cur = [];
    let size = 200;
    for (const it of items) {
      const s = byteLength(JSON.stringify(it.payload)) + 1;
      const photo = it.type === 'activity_photo';
      const ownRequest = cur.length && photo !== (cur[0].type === 'activity_photo');
      const photosFull = photo && cur.length >= MAX_PHOTOS;
      if (
        cur.length &&
        (cur.length >= maxBatch || size + s > maxBytes || ownRequest || photosFull)
      ) {
        out.push(cur);
        cur = [];
        size = 200;
      }
      cur.push(it);
      size += s;
    }
    if (cur.length) out.push(cur);
    return out;
  }

  async function runOnce() {
    if (await store.locked?.())
      throw new SyncError('locked', 'Locked: the PIN has not been entered');
    const session = await store.session();
    if (!session?.token) throw new SyncError('auth', 'Not logged in');
    let cursor = await store.cursor();
    const queue = batches(await store.pendingItems());
    const tally = {
      created: 0,
      duplicate: 0,
      rejected: 0,
      conflict: 0,
      pages: 0,
      roster: 0,
      tasks: 0,
      cases: 0,
      changed: [],
    };
    // While a reset is being received, remember what the pages carried; prune at the end.
    let resetSeen = null;
    let more = false;

    while (queue.length || more || tally.pages === 0) {
      if (tally.pages > 10_000) throw new SyncError('server', 'The server kept sending pages');
      const items = queue.shift() || [];
      const body = {
        device_time: rfc3339(now()),
        cursor,
        visits: items.filter((i) => i.type === 'visit').map((i) => i.payload),
        amendments: items.filter((i) => i.type === 'amendment').map((i) => i.payload),
        tasks: items.filter((i) => i.type === 'task').map((i) => i.payload),
        task_events: items.filter((i) => i.type === 'task_event').map((i) => i.payload),
      };
      // Cases go only when there are some (docs/cases.md: both lists are optional).
      const opened = items.filter((i) => i.type === 'case').map((i) => i.payload);
      const records = items.filter((i) => i.type === 'case_record').map((i) => i.payload);
      if (opened.length) body.cases = opened;
      if (records.length) body.case_records = records;
      // Answers to returned records, when there are some (docs/reviews.md).
      const replies = items.filter((i) => i.type === 'review_reply').map((i) => i.payload);
      if (replies.length) body.review_replies = replies;
      // Activities and their photos too (docs/activities.md).
      const activities = items.filter((i) => i.type === 'activity').map((i) => i.payload);
      const photos = items.filter((i) => i.type === 'activity_photo').map((i) => i.payload);
      if (activities.length) body.activities = activities;
      if (photos.length) body.activity_photos = photos;
      const res = await post(session.token, body);
      if (res.status === 401) {
        const err = new SyncError('auth', problemDetail(res.text) || 'Log in again', 401);
        err.revoked = revokedBy401(res.text, session, res.headers?.get?.('Date'), now());
        throw err;
      }
      if (res.status === 413) {
        if (items.length > 1) {
          const half = Math.ceil(items.length / 2);
          queue.unshift(items.slice(0, half), items.slice(half));
          continue;
        }
        if (items.length === 1) {
          await store.markRejected(items[0].id, {
            _request: [problemDetail(res.text) || 'Too large to send'],
          });
          tally.rejected++;
          continue;
        }
      }
      if (res.status === 503 || res.status === 429) {
        const wait = retryAfterSeconds(res.headers?.get?.('Retry-After'), now());
        throw new SyncError(
          'server',
          problemDetail(res.text) || `Server busy (${res.status})`,
          res.status,
          wait,
        );
      }
      if (res.status !== 200) {
        throw new SyncError(
          'server',
          problemDetail(res.text) || `Server error ${res.status}`,
          res.status,
        );
      }
      let answer;
      try {
        answer = JSON.parse(res.text);
      } catch {
        throw new SyncError('server', 'The server sent an unreadable answer', res.status);
      }
      tally.pages++;
      const t = await store.applyResults(answer.results || [], items, now());
      for (const k of Object.keys(t)) tally[k] += t[k];

      if (answer.reset || cursor === null)
        resetSeen = resetSeen || {
          units: new Set(),
          residents: new Set(),
          tasks: new Set(),
          cases: new Set(),
          reviews: new Set(),
        };
      if (resetSeen) {
        for (const u of answer.units || []) resetSeen.units.add(u.id);
        for (const r of answer.residents || []) resetSeen.residents.add(r.id);
        for (const task of answer.tasks || []) resetSeen.tasks.add(task.id);
        for (const c of answer.cases || []) resetSeen.cases.add(c.id);
        for (const r of answer.reviews || []) resetSeen.reviews.add(r.id);
      }
      await store.applyRoster(answer);
      tally.roster +=
        (answer.units?.length || 0) +
        (answer.residents?.length || 0) +
        (answer.removed?.residents?.length || 0) +
        (answer.removed?.units?.length || 0);
      tally.tasks += (answer.tasks?.length || 0) + (answer.removed?.tasks?.length || 0);
      tally.cases += (answer.cases?.length || 0) + (answer.removed?.cases?.length || 0);
      // Which residents changed, so the page can update them alone (a few ids, not 10,000 rows).
      if (tally.changed) {
        for (const r of answer.residents || []) tally.changed.push(r.id);
        for (const id of answer.removed?.residents || []) tally.changed.push(id);
        if (answer.units?.length || answer.removed?.units?.length || tally.changed.length > 2000)
          tally.changed = null;
      }
      cursor = answer.cursor ?? cursor;
      more = Boolean(answer.more);
      if (resetSeen && !more) {
        tally.roster += await store.pruneRoster(resetSeen.units, resetSeen.residents);
        tally.tasks += (await store.pruneTasks?.(resetSeen.tasks)) || 0;
        tally.cases += (await store.pruneCases?.(resetSeen.cases)) || 0;
        await store.pruneReviews?.(resetSeen.reviews);
        tally.changed = null; // a full resend: read the whole roster again
        resetSeen = null;
      }
      // During a reset the cursor is saved only after its last page: an interrupted reset
      // starts again rather than leaving residents that should have gone.
      if (!resetSeen) await store.setCursor(cursor);
      if (answer.server_time) tally.server_time = answer.server_time;
    }
    return tally;
  }

  function start() {
    onStart();
    running = (async () => {
      const started = now();
      let outcome;
      try {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) {
          throw new SyncError('offline', 'Offline');
        }
        const tally = await withLock(runOnce);
        outcome = { ok: true, at: rfc3339(started), ...tally };
        notBefore = 0;
      } catch (err) {
        const e =
          err instanceof SyncError
            ? err
            : err?.name === 'LockedError'
              ? new SyncError('locked', err.message)
              : new SyncError('network', err?.message);
        outcome = {
          ok: false,
          at: rfc3339(started),
          reason: e.reason,
          message: e.message,
          status: e.status,
        };
        if (e.revoked) outcome.revoked = true;
        if (e.retryAfter !== null) {
          outcome.retryAfter = e.retryAfter;
          notBefore = now().getTime() + e.retryAfter * 1000;
        }
      }
      await store.recordOutcome(outcome);
      return outcome;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  /** How long an automatic sync waits now: what the server asked for, then the jitter. */
  function automaticDelay() {
    return Math.max(0, notBefore - now().getTime()) + jitterDelay(random, jitterMs);
  }

  /**
   * Run one sync; concurrent callers share the run in progress. Never throws.
   * `automatic: true` for a sync nobody asked for: it waits first (see the top of this file).
   */
  function run({ automatic = false } = {}) {
    if (running) return running;
    if (waiting) {
      if (!automatic) waiting.release(); // the worker asked: go now; the waiting one shares it
      return automatic ? waiting.promise : start();
    }
    const delay = automatic ? automaticDelay() : 0;
    if (delay <= 0) return start();
    let release;
    const cut = new Promise((resolve) => {
      release = resolve;
    });
    const promise = Promise.race([sleep(delay), cut]).then(() => {
      waiting = null;
      return run();
    });
    waiting = { promise, release };
    return promise;
  }

  return { run, batches };
}

/** Page and service worker must not send the same outbox at once: one sync per origin. */
function withLock(fn) {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('rounds-sync', fn) : fn();
}
