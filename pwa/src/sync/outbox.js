// The outbox: visits and amendments waiting for the server. A record leaves it only when the
// server has said `created` or `duplicate` for it; `rejected` and `conflict` stay, with the
// server's reasons, until the worker fixes or explicitly discards them.
import { db, uuid, SYNCED_KEEP_DAYS } from './db.js';

export const PENDING = 'pending';
export const REJECTED = 'rejected';
export const CONFLICT = 'conflict';

function row(type, payload, now) {
  return {
    id: payload.id,
    type,
    state: PENDING,
    payload,
    errors: null,
    resident_id: payload.resident_id ?? null,
    visit_id: payload.visit_id ?? null,
    created_at: now.getTime(),
  };
}

/** Store a finished visit; resolves only once IndexedDB has committed it. */
export async function addVisit(visit, now = new Date()) {
  await db.outbox.add(row('visit', visit, now));
  return visit.id;
}

export async function addAmendment(amendment, now = new Date()) {
  await db.outbox.add(row('amendment', amendment, now));
  return amendment.id;
}

/** Records to send, oldest first: visits before amendments so an amendment never overtakes its visit. */
export async function pendingItems() {
  const items = await db.outbox.where('state').equals(PENDING).sortBy('created_at');
  return [
    ...items.filter((i) => i.type === 'visit'),
    ...items.filter((i) => i.type === 'amendment'),
  ];
}

export async function problems() {
  return db.outbox.where('state').anyOf(REJECTED, CONFLICT).sortBy('created_at');
}

export async function all() {
  return db.outbox.orderBy('created_at').toArray();
}

export async function counts() {
  const [waiting, problem] = await Promise.all([
    db.outbox.where('state').equals(PENDING).count(),
    db.outbox.where('state').anyOf(REJECTED, CONFLICT).count(),
  ]);
  return { waiting, problems: problem, total: waiting + problem };
}

export function get(id) {
  return db.outbox.get(id);
}

/**
 * Apply the server's per-item results. Only items that were sent are touched; an item sent
 * but missing from the results stays pending and is sent again (a retry is harmless).
 */
export async function applyResults(results, sentItems, now = new Date()) {
  const sent = new Map(sentItems.map((i) => [i.id, i]));
  const tally = { created: 0, duplicate: 0, rejected: 0, conflict: 0 };
  await db.transaction('rw', db.outbox, db.synced, async () => {
    for (const result of results || []) {
      const item = sent.get(result.id);
      if (!item) continue;
      if (result.status === 'created' || result.status === 'duplicate') {
        tally[result.status]++;
        await db.outbox.delete(item.id);
        if (item.type === 'visit') {
          await db.synced.put({
            id: item.id,
            resident_id: item.payload.resident_id,
            payload: item.payload,
            amendments: [],
            synced_at: now.getTime(),
          });
        } else {
          const visit = await db.synced.get(item.payload.visit_id);
          if (visit) {
            visit.amendments = [...(visit.amendments || []), item.payload];
            await db.synced.put(visit);
          }
        }
      } else if (result.status === 'rejected' || result.status === 'conflict') {
        tally[result.status]++;
        await db.outbox.update(item.id, { state: result.status, errors: result.errors || {} });
      }
    }
  });
  return tally;
}

/** Mark one item as refused without asking the server (e.g. too large even alone). */
export function markRejected(id, errors) {
  return db.outbox.update(id, { state: REJECTED, errors });
}

/** The worker corrected a rejected record: same id (the server never stored it), send again. */
export async function replacePayload(id, payload) {
  await db.outbox.update(id, { payload, state: PENDING, errors: null });
}

/** A conflict means the server holds other content under this id: send ours as a new record. */
export async function resendAsNew(id) {
  await db.transaction('rw', db.outbox, async () => {
    const item = await db.outbox.get(id);
    if (!item) return;
    const fresh = { ...item.payload, id: uuid() };
    await db.outbox.delete(id);
    await db.outbox.add({ ...item, id: fresh.id, payload: fresh, state: PENDING, errors: null });
  });
}

/** Explicitly drop a record the worker chose to give up (never done silently). */
export function discard(id) {
  return db.outbox.delete(id);
}

/** Synced visits still open to correction, newest first. */
export async function recentSynced(now = new Date()) {
  const since = now.getTime() - SYNCED_KEEP_DAYS * 86400e3;
  const rows = await db.synced.where('synced_at').aboveOrEqual(since).toArray();
  return rows.sort((a, b) => b.payload.checked_in_at.localeCompare(a.payload.checked_in_at));
}

export async function purgeSynced(now = new Date()) {
  const before = now.getTime() - SYNCED_KEEP_DAYS * 86400e3;
  return db.synced.where('synced_at').below(before).delete();
}
