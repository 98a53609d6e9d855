// The PIN lock's keys, and sealing what IndexedDB holds (docs/security.md, "The phone").
//
// With a PIN set, every row of the roster, the outbox, the synced visits, the tasks and the cases, the session and
// the draft is stored sealed: AES-GCM 256 under a random data key, with the table and id as
// additional data (a sealed row cannot be moved under another id). Only what the queries need
// stays in clear: ids, the outbox's type, state and time, the synced visits' time. The data key
// is kept wrapped (AES-KW) by a key derived from the PIN (PBKDF2-SHA-256, a random salt,
// ITERATIONS rounds); unwrapped, it lives in this module's memory only, non-extractable, until
// the page goes. Without the PIN nothing here is readable, so a locked page (and the service
// worker, which never has the key) does not sync: it says "locked".
//
// WebCrypto's promises are not IndexedDB's: awaiting one inside a Dexie transaction lets the
// transaction commit early. Rows are sealed before a transaction and opened after it.
import { db, getMeta, setMeta, delMeta } from './db.js';
import { keyring } from './keyring.js';

export const ITERATIONS = 310_000;
export const PIN_PATTERN = /^\d{4,8}$/;
export const IDLE_CHOICES = [1, 5, 15];
/** Wrong PINs in a row before each further try must wait (see waitAfter). */
export const FREE_TRIES = 5;

/** What each table keeps in clear (ids, and the fields its indexes and counts need). */
export const CLEAR = {
  units: ['id'],
  residents: ['id', 'unit_id'],
  outbox: ['id', 'type', 'state', 'created_at', 'resident_id', 'visit_id'],
  synced: ['id', 'resident_id', 'synced_at'],
  tasks: ['id', 'resident_id'],
  task_log: ['id', 'task_id'],
  cases: ['id', 'resident_id'],
  reviews: ['id'],
  activities: ['id', 'held_on'],
  activityPhotos: ['id', 'activity_id'],
};
const TABLES = Object.keys(CLEAR);
/** Meta values that are secret: the session (its token reads the roster from the server). */
const SECRET_META = ['session', 'draft', 'activity_draft'];

export class LockedError extends Error {
  constructor() {
    super('Locked: the PIN has not been entered');
    this.name = 'LockedError';
  }
}

const te = new TextEncoder();
const td = new TextDecoder();
const subtle = () => globalThis.crypto.subtle;

/** Read whether a PIN is set (meta.vault); the service worker asks before each sync. */
export async function refresh() {
  keyring.config = await getMeta('vault');
  if (!keyring.config) keyring.key = null;
  return keyring.config;
}
export const isOn = () => Boolean(keyring.config);
export const isLocked = () => Boolean(keyring.config) && keyring.key === null;
export const idleMinutes = () => keyring.config?.idle_minutes ?? null;
/** Drop the data key from memory (the app is locking). */
export function forget() {
  keyring.key = null;
}

/** Seconds to wait before the next try after `failures` wrong PINs in a row: 30 s, doubling, at most an hour. */
export function waitAfter(failures) {
  if (failures < FREE_TRIES) return 0;
  return Math.min(3600, 30 * 2 ** (failures - FREE_TRIES));
}

// ---- sealing -----------------------------------------------------------------------------

async function encrypt(value, aad, key = keyring.key) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: te.encode(aad) },
    key,
    te.encode(JSON.stringify(value)),
  );
  return { iv, data: new Uint8Array(data) };
}

async function decrypt(box, aad, key = keyring.key) {
  const plain = await subtle().decrypt(
    { name: 'AES-GCM', iv: box.iv, additionalData: te.encode(aad) },
    key,
    box.data,
  );
  return JSON.parse(td.decode(plain));
}

/** A row as it is stored: sealed when a PIN is set (LockedError when it is not entered). */
export async function sealRow(table, row, key = keyring.key, on = isOn()) {
  if (!on || !row) return row;
  if (!key) throw new LockedError();
  const clear = {};
  const secret = {};
  for (const [name, value] of Object.entries(row))
    (CLEAR[table].includes(name) ? clear : secret)[name] = value;
  clear.sealed = await encrypt(secret, `${table}:${row.id}`, key);
  return clear;
}

/** A stored row as the app uses it (rows stored before the PIN was set are plain). */
export async function openRow(table, row, key = keyring.key) {
  if (!row?.sealed) return row;
  if (!key) throw new LockedError();
  const { sealed, ...clear } = row;
  return { ...clear, ...(await decrypt(sealed, `${table}:${row.id}`, key)) };
}

export const sealRows = (table, rows, key, on) =>
  Promise.all(rows.map((row) => sealRow(table, row, key, on)));
export const openRows = (table, rows, key) =>
  Promise.all(rows.map((row) => openRow(table, row, key)));

async function sealValue(name, value, key = keyring.key, on = isOn()) {
  if (!on || value === null || value === undefined) return value;
  if (!key) throw new LockedError();
  return { sealed: await encrypt(value, `meta:${name}`, key) };
}

async function openValue(name, value, key = keyring.key) {
  if (!value?.sealed) return value;
  if (!key) throw new LockedError();
  return decrypt(value.sealed, `meta:${name}`, key);
}

/** A secret meta value (session, draft), opened. */
export async function getSecret(name, fallback = null) {
  const value = await openValue(name, await getMeta(name));
  return value === null || value === undefined ? fallback : value;
}

export async function setSecret(name, value) {
  return setMeta(name, await sealValue(name, value));
}

// ---- the PIN -----------------------------------------------------------------------------

async function pinKey(pin, salt, iterations) {
  const base = await subtle().importKey('raw', te.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

async function unwrap(pin, config) {
  const kek = await pinKey(pin, config.salt, config.iterations);
  return subtle().unwrapKey('raw', config.wrapped, kek, 'AES-KW', 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}

/** The data key for `pin`, or null when it is the wrong PIN. Counts nothing. */
async function keyFor(pin, config) {
  try {
    return await unwrap(String(pin), config);
  } catch {
    return null; // AES-KW checks integrity: another PIN cannot unwrap the key
  }
}

/** One sync or one conversion at a time, shared with the sync client (Web Locks). */
function exclusive(fn) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request('rounds-sync', fn) : fn();
}

async function readEverything() {
  const [tables, meta] = await Promise.all([
    Promise.all(TABLES.map((name) => db.table(name).toArray())),
    Promise.all(SECRET_META.map((name) => getMeta(name))),
  ]);
  return { tables, meta };
}

/** Rewrite every row and secret value, and the vault's own record, in one transaction. */
async function writeEverything({ tables, meta }, vault) {
  await db.transaction('rw', [...TABLES.map((name) => db.table(name)), db.meta], async () => {
    await Promise.all(TABLES.map((name, i) => db.table(name).bulkPut(tables[i])));
    await Promise.all(
      SECRET_META.map((name, i) =>
        meta[i] === null || meta[i] === undefined ? null : setMeta(name, meta[i]),
      ),
    );
    if (vault) await setMeta('vault', vault);
    else await delMeta('vault');
    await delMeta('pin_failures');
  });
}

/**
 * Set a PIN: make the data key, wrap it with the PIN's key, and seal everything the phone
 * holds. The key stays unlocked in memory (non-extractable).
 */
export async function enable(pin, minutes, { iterations = ITERATIONS } = {}) {
  if (!PIN_PATTERN.test(String(pin))) throw new Error('A PIN is 4 to 8 digits');
  if (isOn()) throw new Error('A PIN is already set');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const kek = await pinKey(String(pin), salt, iterations);
  const fresh = await subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ]);
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', fresh, kek, 'AES-KW'));
  const config = { v: 1, salt, iterations, wrapped, idle_minutes: minutes };
  // From here on only the non-extractable copy is used; the extractable one is let go.
  const key = await unwrap(String(pin), config);
  await exclusive(async () => {
    const { tables, meta } = await readEverything();
    const sealed = {
      tables: await Promise.all(TABLES.map((name, i) => sealRows(name, tables[i], key, true))),
      meta: await Promise.all(SECRET_META.map((name, i) => sealValue(name, meta[i], key, true))),
    };
    await writeEverything(sealed, config);
    keyring.key = key;
    keyring.config = config;
  });
}

/** Remove the PIN (the right one is asked): everything is stored plain again. */
export async function disable(pin) {
  const config = await refresh();
  if (!config) return true;
  const key = await keyFor(pin, config);
  if (!key) return false;
  await exclusive(async () => {
    const { tables, meta } = await readEverything();
    const plain = {
      tables: await Promise.all(TABLES.map((name, i) => openRows(name, tables[i], key))),
      meta: await Promise.all(SECRET_META.map((name, i) => openValue(name, meta[i], key))),
    };
    await writeEverything(plain, null);
    keyring.key = null;
    keyring.config = null;
  });
  return true;
}

/** How long the lock lasts idle, in minutes (one of IDLE_CHOICES). */
export async function setIdleMinutes(minutes) {
  const config = await refresh();
  if (!config) return;
  keyring.config = { ...config, idle_minutes: minutes };
  await setMeta('vault', keyring.config);
}

/**
 * Try a PIN. Resolves {ok: true}, or {ok: false, failures, wait} (seconds before the next
 * try is taken). Wrong PINs in a row are counted in IndexedDB, so reloading does not reset them.
 */
export async function unlock(pin, now = Date.now()) {
  const config = await refresh();
  if (!config) return { ok: true };
  const tries = await getMeta('pin_failures', { n: 0, at: 0 });
  const until = tries.at + waitAfter(tries.n) * 1000;
  if (now < until) return { ok: false, failures: tries.n, wait: Math.ceil((until - now) / 1000) };
  const key = await keyFor(pin, config);
  if (key) {
    keyring.key = key;
    await delMeta('pin_failures');
    return { ok: true };
  }
  const n = tries.n + 1;
  await setMeta('pin_failures', { n, at: now });
  return { ok: false, failures: n, wait: waitAfter(n) };
}

/** Seconds left of the wait after wrong PINs (0: a PIN may be tried now). */
export async function waitLeft(now = Date.now()) {
  const tries = await getMeta('pin_failures', { n: 0, at: 0 });
  return Math.max(0, Math.ceil((tries.at + waitAfter(tries.n) * 1000 - now) / 1000));
}
