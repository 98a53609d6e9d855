// The outbox: visits, amendments, follow-up tasks, task events, cases and case records waiting
// for the server. A record leaves it only when the
// server has said `created` or `duplicate` for it; `rejected` and `conflict` stay, with the
// server's reasons, until the worker fixes or explicitly discards them.
// With a PIN set the rows are stored sealed (sync/vault.js): everything is opened after it is
// read and sealed before it is written, outside the transactions.
import { db, uuid, SYNCED_KEEP_DAYS } from './db.js';
import { sealRow, sealRows, openRow, openRows } from './vault.js';

const openBox = (rows) => openRows('outbox', rows);
const openKept = (rows) => openRows('synced', rows);

export const PENDING = 'pending';
export const REJECTED = 'rejected';
export const CONFLICT = 'conflict';

/** An outbox row; `extra` holds what the screens need beside the payload (never sent). */
export function row(type, payload, now, extra = {}) {
  return {
    ...extra,
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

/**
 * Store a finished visit; resolves only once IndexedDB has committed it. `more`: the sealed rows
 * of the tasks raised and events made during it (sync/tasks.js rowsFor), in the same transaction.
 */
export async function addVisit(visit, now = new Date(), more = null) {
  const sealed = await sealRow('outbox', row('visit', visit, now));
  if (!more) {
    await db.outbox.add(sealed);
    return visit.id;
  }
  await db.transaction('rw', db.outbox, db.task_log, async () => {
    await db.outbox.add(sealed);
    await db.outbox.bulkAdd(more.outbox);
    await db.task_log.bulkAdd(more.log);
  });
  return visit.id;
}

export async function addAmendment(amendment, now = new Date()) {
  await db.outbox.add(await sealRow('outbox', row('amendment', amendment, now)));
  return amendment.id;
}

/** The order records go in: a record never overtakes the one it refers to. */
// A reply to a review goes after the amendment it names (docs/reviews.md).
export const TYPES = [
  'visit',
  'amendment',
  'task',
  'task_event',
  'case',
  'case_record',
  'review_reply',
  // Activities after every other type, a photo after its activity (docs/activities.md).
  'activity',
  'activity_photo',
];

/**
 * Records to send, oldest first within each type, in TYPES order: an amendment after its
 * visit, a task after the visit it was raised in, an event after its task, a case after the
 * visit it came from and a case record after its case and the visit it counts (batches are cut
 * in this order, so a record never goes in an earlier request than what it refers to).
 */
export async function pendingItems() {
  const items = await openBox(await db.outbox.where('state').equals(PENDING).sortBy('created_at'));
  return TYPES.flatMap((type) => items.filter((i) => i.type === type));
}

/**
 * An event on a task the server does not hold yet, a task raised in a visit it does not hold
 * yet, a case record whose case (or, for a contact, whose visit) it does not hold yet, is
 * refused as "not yet received": it stays waiting and goes again with the next sync
 * (docs/tasks.md, docs/cases.md), after what it refers to.
 */
export function notYetReceived(item, result) {
  const waits = {
    task: ['visit_id'],
    task_event: ['task_id'],
    case: ['visit_id'],
    case_record: ['case_id', 'body.visit_id'],
    review_reply: ['amendment_id'],
    activity_photo: ['activity_id'],
  }[item.type];
  if (!waits || result.status !== 'rejected') return false;
  const leaves = Object.entries(leafErrors(result.errors));
  return (
    leaves.length === 1 &&
    waits.includes(leaves[0][0]) &&
    leaves[0][1].every((m) => /not yet received/i.test(m))
  );
}

/** {"body": {"visit_id": ["…"]}} → {"body.visit_id": ["…"]}. */
function leafErrors(tree, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(tree || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value)) out[path] = value;
    else if (value && typeof value === 'object') leafErrors(value, path, out);
    else out[path] = [String(value)];
  }
  return out;
}

export async function problems() {
  return openBox(await db.outbox.where('state').anyOf(REJECTED, CONFLICT).sortBy('created_at'));
}

export async function all() {
  return openBox(await db.outbox.orderBy('created_at').toArray());
}

/** The visits waiting (for this week's counts). */
export async function visits() {
  return openBox(await db.outbox.where('type').equals('visit').toArray());
}

export async function counts() {
  const [waiting, problem] = await Promise.all([
    db.outbox.where('state').equals(PENDING).count(),
    db.outbox.where('state').anyOf(REJECTED, CONFLICT).count(),
  ]);
  return { waiting, problems: problem, total: waiting + problem };
}

export async function get(id) {
  return openRow('outbox', await db.outbox.get(id));
}

/** One synced visit kept for corrections, or undefined. */
export async function syncedVisit(id) {
  return openRow('synced', await db.synced.get(id));
}

/** Every synced visit kept (for this week's counts). */
export async function allSynced() {
  return openKept(await db.synced.toArray());
}

/** Change an outbox record: read, opened, changed, sealed again, written. */
async function change(id, fields) {
  const item = await get(id);
  if (!item) return 0;
  await db.outbox.put(await sealRow('outbox', { ...item, ...fields }));
  return 1;
}

/**
 * Apply the server's per-item results. Only items that were sent are touched; an item sent
 * but missing from the results stays pending and is sent again (a retry is harmless).
 */
export async function applyResults(results, sentItems, now = new Date()) {
  const sent = new Map(sentItems.map((i) => [i.id, i]));
  const tally = { created: 0, duplicate: 0, rejected: 0, conflict: 0 };
  // Worked out, and sealed, before the transaction (see sync/vault.js).
  const accepted = (results || []).filter(
    (r) => sent.has(r.id) && (r.status === 'created' || r.status === 'duplicate'),
  );
  const amended = accepted
    .map((r) => sent.get(r.id))
    .filter((item) => item.type === 'amendment')
    .map((item) => item.payload.visit_id);
  const kept = new Map();
  if (amended.length)
    for (const visit of await openKept((await db.synced.bulkGet(amended)).filter(Boolean)))
      kept.set(visit.id, visit);
  const gone = [];
  const keptChanged = new Set();
  const refused = [];
  for (const result of results || []) {
    const item = sent.get(result.id);
    if (!item) continue;
    if (result.status === 'created' || result.status === 'duplicate') {
      tally[result.status]++;
      gone.push(item.id);
      if (item.type !== 'visit' && item.type !== 'amendment') {
        // Kept by the pull's copy of the task or the case, and the task's log (sync/tasks.js,
        // sync/cases.js).
      } else if (item.type === 'visit') {
        kept.set(item.id, {
          id: item.id,
          resident_id: item.payload.resident_id,
          payload: item.payload,
          amendments: [],
          synced_at: now.getTime(),
        });
        keptChanged.add(item.id);
      } else {
        const visit = kept.get(item.payload.visit_id);
        if (visit) {
          visit.amendments = [...(visit.amendments || []), item.payload];
          keptChanged.add(visit.id);
        }
      }
    } else if (notYetReceived(item, result)) {
      continue; // still pending: sent again next time
    } else if (result.status === 'rejected' || result.status === 'conflict') {
      tally[result.status]++;
      refused.push({
        ...item,
        state: result.status,
        errors: result.errors || {},
        codes: result.codes || null,
      });
    }
  }
  const [keptRows, refusedRows] = await Promise.all([
    sealRows(
      'synced',
      [...keptChanged].map((id) => kept.get(id)),
    ),
    sealRows('outbox', refused),
  ]);
  await db.transaction('rw', db.outbox, db.synced, async () => {
    await db.outbox.bulkDelete(gone);
    await db.synced.bulkPut(keptRows);
    // A refused record is updated only if it is still there (the worker may have discarded it).
    const still = await db.outbox.bulkGet(refusedRows.map((r) => r.id));
    await db.outbox.bulkPut(refusedRows.filter((r, i) => still[i]));
  });
  return tally;
}

/** Mark one item as refused without asking the server (e.g. too large even alone). */
export function markRejected(id, errors) {
  return change(id, { state: REJECTED, errors });
}

/** The worker corrected a rejected record: same id (the server never stored it), send again. */
export async function replacePayload(id, payload) {
  await change(id, { payload, state: PENDING, errors: null, codes: null });
}

/** A conflict means the server holds other content under this id: send ours as a new record. */
export async function resendAsNew(id) {
  const item = await get(id);
  if (!item) return;
  const fresh = { ...item.payload, id: uuid() };
  const row = await sealRow('outbox', {
    ...item,
    id: fresh.id,
    payload: fresh,
    state: PENDING,
    errors: null,
  });
  await db.transaction('rw', db.outbox, async () => {
    if (!(await db.outbox.get(id))) return;
    await db.outbox.delete(id);
    await db.outbox.add(row);
  });
}

/**
 * Explicitly drop a record the worker chose to give up (never done silently). A task raised
 * here takes its waiting events with it, and a case opened here its waiting records: the
 * server would refuse them for ever.
 */
export async function discard(id) {
  const item = await get(id);
  if (item?.type === 'case') {
    const records = (await openBox(await db.outbox.where('type').equals('case_record').toArray()))
      .filter((r) => r.payload.case_id === id)
      .map((r) => r.id);
    return db.outbox.bulkDelete([id, ...records]);
  }
  if (item?.type !== 'task') return db.outbox.delete(id);
  const events = (await openBox(await db.outbox.where('type').equals('task_event').toArray()))
    .filter((e) => e.payload.task_id === id)
    .map((e) => e.id);
  await db.transaction('rw', db.outbox, db.task_log, async () => {
    await db.outbox.bulkDelete([id, ...events]);
    await db.task_log.bulkDelete(events);
  });
}

/** Synced visits still open to correction, newest first. */
export async function recentSynced(now = new Date()) {
  const since = now.getTime() - SYNCED_KEEP_DAYS * 86400e3;
  const rows = await openKept(await db.synced.where('synced_at').aboveOrEqual(since).toArray());
  return rows.sort((a, b) => b.payload.checked_in_at.localeCompare(a.payload.checked_in_at));
}

export async function purgeSynced(now = new Date()) {
  const before = now.getTime() - SYNCED_KEEP_DAYS * 86400e3;
  return db.synced.where('synced_at').below(before).delete();
}
