// What the phone stores, in IndexedDB (Dexie). One database per origin.
//   units, residents   the roster of the worker's units, as the server last sent it
//   outbox             visits and amendments made here and not yet held by the server
//   synced             visits the server holds, kept SYNCED_KEEP_DAYS for corrections
//   tasks              follow-up tasks as the server last sent them (open, in the worker's scope)
//   task_log           task events made on this phone, kept while their task is: its history here
//   cases              case work (docs/cases.md) as the server last sent it, records included
//   reviews            this worker's records returned by a supervisor (docs/reviews.md)
//   meta               key/value: session, device id, cursor, last sync, language, draft,
//                      the PIN lock's wrapped key (vault)
// and whether the browser keeps it (persistent storage). With a PIN set, rows and the secret
// meta values are stored sealed (sync/vault.js).
import Dexie from 'dexie';
import { resetKeyring } from './keyring.js';

export const SYNCED_KEEP_DAYS = 14;

export const db = new Dexie('rounds');
db.version(1).stores({
  units: 'id',
  residents: 'id, unit_id, qr_token',
  outbox: 'id, type, state, created_at',
  synced: 'id, resident_id, synced_at',
  meta: 'key',
});
// The roster now carries qr_hash, not the code: drop the old index and pull the roster afresh.
db.version(2)
  .stores({ residents: 'id, unit_id' })
  .upgrade((tx) => tx.table('meta').delete('cursor'));
// Follow-up tasks (docs/tasks.md): the pulled tasks and the events made here. The outbox holds
// new tasks and events too (types 'task' and 'task_event'). The cursor goes so that the first
// sync after the upgrade is a reset, which sends every open task.
db.version(3)
  .stores({ tasks: 'id, resident_id', task_log: 'id, task_id' })
  .upgrade((tx) => tx.table('meta').delete('cursor'));

// Case work (docs/cases.md): the pulled cases, each with its records. The outbox holds cases
// opened and records made here (types 'case' and 'case_record'). The cursor goes so that the
// first sync after the upgrade is a reset, which sends every case in scope.
db.version(4)
  .stores({ cases: 'id, resident_id' })
  .upgrade((tx) => tx.table('meta').delete('cursor'));

// Review of records (docs/reviews.md): the returned records of this worker, as pulled. The
// outbox holds the replies made here (type 'review_reply'). The cursor goes so that the first
// sync after the upgrade is a reset, which sends every open one.
db.version(5)
  .stores({ reviews: 'id' })
  .upgrade((tx) => tx.table('meta').delete('cursor'));

// Group activities (docs/activities.md): the units' recent activities and the photos taken
// here. The outbox holds activities and photos (types 'activity' and 'activity_photo'). The
// cursor goes so that the first sync after the upgrade is a reset, which sends them all.
db.version(6)
  .stores({ activities: 'id, held_on', activityPhotos: 'id, activity_id' })
  .upgrade((tx) => tx.table('meta').delete('cursor'));

export async function getMeta(key, fallback = null) {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : row.value;
}

export function setMeta(key, value) {
  return db.meta.put({ key, value });
}

export function delMeta(key) {
  return db.meta.delete(key);
}

/** Make the device id once and keep it for the life of the install (it survives logout). */
export async function deviceId() {
  let id = await getMeta('device_id');
  if (!id) {
    id = uuid();
    await setMeta('device_id', id);
  }
  return id;
}

export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Every row of a table, read a page at a time by primary key: each page is decoded in its own
 * task, so a 10,000-resident roster never blocks the phone for long.
 */
export async function readAll(table, { pageSize = 1000, each, decode } = {}) {
  const out = [];
  let last = null;
  for (;;) {
    const coll = last === null ? table.orderBy(':id') : table.where(':id').above(last);
    const stored = await coll.limit(pageSize).toArray();
    const rows = decode ? await decode(stored) : stored; // opened page by page, after reading
    for (const r of rows) {
      out.push(r);
      each?.(r);
    }
    if (stored.length < pageSize) return out;
    last = stored[stored.length - 1].id;
  }
}

/**
 * The office signed this phone out (its device was revoked): forget the roster, the synced
 * visits and the draft, and the cursor (the next login pulls the roster afresh). The outbox
 * stays: unsent visits are never deleted without the worker's say.
 */
export async function forgetRoster() {
  const tables = [db.units, db.residents, db.synced, db.tasks, db.task_log, db.cases];
  tables.push(db.reviews);
  tables.push(db.activities); // the activities' copies; their photos wait in the outbox
  await db.transaction('rw', [...tables, db.meta], async () => {
    await Promise.all(tables.map((table) => table.clear()));
    await db.meta.bulkDelete(['cursor', 'draft']);
  });
}

/** Forget everything about the worker (logout), the PIN too; the device id and language stay. */
export async function clearWorkerData() {
  const keep = ['device_id', 'lang'];
  const tables = [db.units, db.residents, db.outbox, db.synced, db.tasks, db.task_log, db.cases];
  tables.push(db.reviews);
  tables.push(db.activities, db.activityPhotos);
  await db.transaction('rw', [...tables, db.meta], async () => {
    await Promise.all(tables.map((table) => table.clear()));
    const keys = await db.meta.toCollection().primaryKeys();
    await db.meta.bulkDelete(keys.filter((k) => !keep.includes(k)));
  });
  resetKeyring();
}

// ---- whether the browser keeps it ------------------------------------------------------

export async function persistence() {
  const s = navigator.storage;
  if (!s?.persist) return 'unsupported';
  if (await s.persisted()) return 'granted';
  return (await s.persist()) ? 'granted' : 'denied';
}

export async function isPersisted() {
  return navigator.storage?.persisted ? navigator.storage.persisted() : false;
}
