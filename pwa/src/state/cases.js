// Case work as the worker's screens read it (sync/cases.js keeps it): the open cases, one case
// with its records, and the steps a worker records (intake, assessment, plan, contact, review,
// closure), each a record in the outbox, synced like a visit.
import * as store from '../sync/cases.js';
import { rfc3339 } from '../lib/dates.js';
import * as session from './session.js';
import * as status from './status.js';
import * as syncing from './syncing.js';

export const {
  DOMAINS,
  SEVERITIES,
  RISKS,
  MODES,
  GOAL_STATUSES,
  REASONS,
  SATISFACTION,
  SERVICES,
  SOURCES,
} = store;
export const { planOf, goalsOf, daysSinceContact, allowedKinds } = store;

const me = () => session.current()?.user || null;

/**
 * Now, to the millisecond: the server orders a case's records by `at`, and two steps saved in
 * the same second must keep the order they were made in.
 */
export function stamp(now = new Date()) {
  const ms = String(now.getMilliseconds()).padStart(3, '0');
  return rfc3339(now).replace(/([+-]\d{2}:\d{2}|Z)$/, `.${ms}$1`);
}

/** Whether the worker is the case's responsible worker (one opened here is the opener's). */
export const isMine = (c, user = me()) => !c.worker_id || c.worker_id === user?.id;

/** The open cases on the phone: the worker's own first, each group by the next review. */
export async function open() {
  const all = await store.openCases();
  return [...all.filter((c) => isMine(c)), ...all.filter((c) => !isMine(c))];
}

/** A resident's open case, if there is one (the newest). */
export async function forResident(residentId) {
  const list = await store.openCases({ residentId });
  return list.sort((a, b) => String(b.opened_at).localeCompare(String(a.opened_at)))[0] || null;
}

export const get = (id) => store.getCase(id);

/** Open a case now; it waits in the outbox and a sync is asked for. Resolves with its id. */
export async function openCase({ resident, source, sourceNote, visitId }) {
  const payload = store.newCase({ residentId: resident.id, source, sourceNote, visitId });
  await store.addCase(
    payload,
    {
      resident_name: resident.name || null,
      unit_id: resident.unit_id || null,
      worker_id: me()?.id,
    },
    stamp(),
  );
  await status.refresh();
  syncing.afterSave();
  return payload.id;
}

/** A record as the outbox keeps it, with who made it (for the history, never sent). */
export function newRecord(caseId, kind, body, signature = null) {
  const user = me();
  return {
    ...store.newRecord(caseId, kind, body, signature),
    extra: {
      author: user ? { id: user.id, display_name: user.display_name || user.username } : null,
    },
  };
}

/** Record one step now. */
export async function record(caseId, kind, body, signature = null) {
  const { extra, ...rec } = newRecord(caseId, kind, body, signature);
  await store.addRecord(rec, extra, stamp());
  await status.refresh();
  syncing.afterSave();
  return rec.id;
}
