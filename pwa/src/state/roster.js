// The roster in memory: the units and residents IndexedDB holds, lookups by id and by QR
// fingerprint, and this week's groups for the roster screen (state/roster-figures.js).
// Read from IndexedDB a page at a time, and after a sync only the residents it changed;
// with a PIN set each page is opened (decrypted) as it arrives, and names live only here.
import { db, readAll } from '../sync/db.js';
import { openRows } from '../sync/vault.js';
import * as outbox from '../sync/outbox.js';
import { buildRoster, localVisitIndex, warmSearchKeys } from './roster-figures.js';

let units = [];
let residents = [];
let byId = new Map();
let byHash = new Map();
let groups = [];
let recountTicket = 0;
// The order the roster screen showed when first opened in this page's life: a visit changes a
// row's figures but never moves it (the worker's eye and thumb stay where they were).
let order = null;

/** Residents grouped by unit with this week's figures, those needing a round first. */
export const grouped = () => groups;
export const residentCount = () => residents.length;
export const resident = (id) => byId.get(id);
export const unitOf = (someone) => units.find((unit) => unit.id === someone?.unit_id);
/** {byHash, byId} for resolving a scanned code (lib/scanner.js resolveToken). */
export const lookups = () => ({ byHash, byId });

/** Keep the current order for the rest of this session (the roster screen, once opened). */
export function keepOrder() {
  if (order) return;
  order = new Map();
  let place = 0;
  for (const group of groups) for (const entry of group.items) order.set(entry.r.id, place++);
}

/** Another worker (log in, log out): their roster is sorted afresh when it is opened. */
export function forgetOrder() {
  order = null;
}

/** Sort again (those needing a round first), and keep that order. */
export async function resort() {
  order = null;
  await recount();
  keepOrder();
}

/** Read the whole roster again from IndexedDB. */
export async function load() {
  // The lookups are filled page by page as the rows arrive, never in one long task.
  const nextById = new Map();
  const nextByHash = new Map();
  const [unitRows, residentRows] = await Promise.all([
    db.units.toArray().then((rows) => openRows('units', rows)),
    readAll(db.residents, {
      decode: (rows) => openRows('residents', rows),
      each: (row) => {
        nextById.set(row.id, row);
        if (row.qr_hash) nextByHash.set(row.qr_hash, row);
      },
    }),
  ]);
  units = unitRows;
  residents = residentRows;
  byId = nextById;
  byHash = nextByHash;
  await recount();
  warmSearchKeys(residents);
}

/** Take the named residents again from IndexedDB (changed or removed by a sync). */
export async function update(ids) {
  const rows = await openRows('residents', await db.residents.bulkGet(ids));
  const gone = new Set();
  ids.forEach((id, i) => {
    const old = byId.get(id);
    if (old?.qr_hash) byHash.delete(old.qr_hash);
    const row = rows[i];
    if (row) {
      byId.set(id, row);
      if (row.qr_hash) byHash.set(row.qr_hash, row);
    } else {
      byId.delete(id);
      gone.add(id);
    }
  });
  const seen = new Set();
  residents = residents
    .filter((row) => !gone.has(row.id))
    .map((row) => {
      seen.add(row.id);
      return byId.get(row.id);
    });
  for (const row of rows) if (row && !seen.has(row.id)) residents.push(row);
  await recount();
}

/** Recompute this week's figures from the roster and the visits this phone made. */
export async function recount() {
  const [pending, synced] = await Promise.all([outbox.visits(), outbox.allSynced()]);
  const local = [...pending.map((item) => item.payload), ...synced.map((kept) => kept.payload)];
  const ticket = ++recountTicket;
  const next = await buildRoster(
    units,
    residents,
    localVisitIndex(local),
    undefined,
    undefined,
    order,
  );
  if (ticket === recountTicket) groups = next; // an older count never wins
}

/**
 * After a sync: re-read the roster only when the server changed it, and then only the
 * residents it named; the counts may change either way.
 */
export async function afterSync(outcome) {
  // Revoked: the store forgot the roster, and so does memory.
  if (!outcome || outcome.revoked || (outcome.roster && !outcome.changed)) await load();
  else if (outcome.roster) await update(outcome.changed);
  else await recount();
}
