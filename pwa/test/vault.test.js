// The PIN lock: sealing what IndexedDB holds, the PIN's tries, and the sync with a PIN set.
import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient } from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import * as vault from '../src/sync/vault.js';
import { keyring, resetKeyring } from '../src/sync/keyring.js';
import { db, getMeta, setMeta, readAll } from '../src/sync/db.js';
import { resetDb, visit } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';

const FAST = { iterations: 1000 }; // the real count is for phones, not for a test run
const NAME = '王秀英';

/** What IndexedDB really holds, read past Dexie and the vault: every row of a store as text. */
function rawText(storeName) {
  return new Promise((resolve, reject) => {
    const open = globalThis.indexedDB.open('rounds');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction(storeName).objectStore(storeName).getAll();
      req.onsuccess = () => {
        open.result.close();
        const decoder = new TextDecoder();
        resolve(
          JSON.stringify(req.result, (k, v) =>
            v instanceof Uint8Array || v instanceof ArrayBuffer ? decoder.decode(v) : v,
          ),
        );
      };
      req.onerror = () => reject(req.error);
    };
  });
}

async function roster() {
  const residents = residentsN(3);
  residents[0].name = NAME;
  residents[0].address = '幸福路 12 号';
  residents[0].phone = '13800138000';
  await store.applyRoster({ units: [{ id: 'u1', name: '幸福社区', kind: 'area' }], residents });
  return residents;
}

/** A page that was closed and opened again: the key is gone from memory. */
async function reopen() {
  resetKeyring();
  await vault.refresh();
}

beforeEach(async () => {
  resetKeyring();
  await resetDb();
  await setMeta('session', { token: 'tok', user: { username: 'wang' } });
});

describe('sealed storage', () => {
  it('derives the PIN key with at least 200,000 PBKDF2 rounds by default', () => {
    expect(vault.ITERATIONS).toBeGreaterThanOrEqual(200_000);
  });

  it('seals what was there when the PIN is set, and opens it with the PIN', async () => {
    const residents = await roster();
    const v = visit({ resident_id: 'r1', feedback: `${NAME} 很满意` });
    await outbox.addVisit(v);
    await setMeta('draft', { id: 'd1', resident_id: 'r1', feedback: NAME });
    await vault.enable('246810', 5, FAST);

    for (const name of ['residents', 'units', 'outbox', 'meta']) {
      const text = await rawText(name);
      expect(text).not.toContain(NAME);
      expect(text).not.toContain('幸福');
      expect(text).not.toContain('13800138000');
      expect(text).not.toContain('"tok"'); // the session's token reads the roster from the server
    }
    const row = await db.residents.get('r1');
    expect(Object.keys(row).sort()).toEqual(['id', 'sealed', 'unit_id']);

    await reopen();
    expect(vault.isLocked()).toBe(true);
    expect((await vault.unlock('246810')).ok).toBe(true);
    const back = await readAll(db.residents, {
      decode: (rows) => vault.openRows('residents', rows),
    });
    expect(back.find((r) => r.id === 'r1')).toEqual(residents[0]);
    expect((await outbox.pendingItems())[0].payload).toEqual(v);
    expect(await vault.getSecret('draft')).toMatchObject({ feedback: NAME });
    expect(await vault.getSecret('session')).toMatchObject({ token: 'tok' });
  });

  it('writes new rows sealed while unlocked, and nothing readable without the key', async () => {
    await vault.enable('246810', 5, FAST);
    await roster(); // a sync after the PIN was set
    const v = visit({ resident_id: 'r1', service_given: `陪${NAME}聊天` });
    await outbox.addVisit(v);
    await outbox.applyResults([{ id: v.id, status: 'created' }], await outbox.pendingItems());
    expect(await rawText('residents')).not.toContain(NAME);
    expect(await rawText('synced')).not.toContain(NAME);
    expect((await outbox.recentSynced())[0].payload).toEqual(v);

    await reopen();
    await expect(outbox.recentSynced()).rejects.toThrow(vault.LockedError);
    await expect(outbox.addVisit(visit())).rejects.toThrow(vault.LockedError);
    expect(await outbox.counts()).toMatchObject({ waiting: 0 }); // counts and ids stay readable
  });

  it('refuses a wrong PIN, and the data stays sealed', async () => {
    await roster();
    await vault.enable('246810', 5, FAST);
    await reopen();
    const answer = await vault.unlock('135790');
    expect(answer).toMatchObject({ ok: false, failures: 1, wait: 0 });
    expect(vault.isLocked()).toBe(true);
    await expect(vault.openRow('residents', await db.residents.get('r1'))).rejects.toThrow(
      vault.LockedError,
    );
  });

  it('keeps the data key non-extractable in memory', async () => {
    await vault.enable('246810', 5, FAST);
    await reopen();
    await vault.unlock('246810');
    expect(keyring.key.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', keyring.key)).rejects.toThrow();
  });

  it('binds each sealed row to its id: a row moved under another id does not open', async () => {
    await roster();
    await vault.enable('246810', 5, FAST);
    const row = await db.residents.get('r1');
    await expect(vault.openRow('residents', { ...row, id: 'r2' })).rejects.toThrow();
  });

  it('stores everything plain again when the PIN is removed (the right one only)', async () => {
    const residents = await roster();
    await vault.enable('246810', 5, FAST);
    expect(await vault.disable('000000')).toBe(false);
    expect(vault.isOn()).toBe(true);
    expect(await vault.disable('246810')).toBe(true);
    expect(await db.residents.get('r1')).toEqual(residents[0]);
    expect(await getMeta('session')).toMatchObject({ token: 'tok' });
    expect(await getMeta('vault')).toBe(null);
  });

  it('rejects PINs that are not 4 to 8 digits', async () => {
    await expect(vault.enable('12a4', 5, FAST)).rejects.toThrow();
    await expect(vault.enable('123', 5, FAST)).rejects.toThrow();
    await expect(vault.enable('123456789', 5, FAST)).rejects.toThrow();
  });

  it('opens 2,000 sealed residents quickly', async () => {
    await store.applyRoster({ units: [], residents: residentsN(2000) });
    await vault.enable('246810', 5, FAST);
    await reopen();
    await vault.unlock('246810');
    const started = performance.now();
    const rows = await readAll(db.residents, {
      decode: (page) => vault.openRows('residents', page),
    });
    expect(rows).toHaveLength(2000);
    expect(rows[1999].name).toMatch(/^Resident/);
    expect(performance.now() - started).toBeLessThan(2000); // Node and fake-indexeddb: slower than a phone
  });
});

describe('wrong PINs in a row', () => {
  it('waits after five: 30 s, then doubling, at most an hour', () => {
    expect([0, 4, 5, 6, 7, 20].map(vault.waitAfter)).toEqual([0, 0, 30, 60, 120, 3600]);
  });

  it('refuses every PIN during the wait, even the right one, and a reload does not reset it', async () => {
    await vault.enable('246810', 5, FAST);
    await reopen();
    const t0 = 1_000_000;
    for (let i = 1; i < 5; i++) expect(await vault.unlock('000000', t0)).toMatchObject({ wait: 0 });
    expect(await vault.unlock('000000', t0)).toMatchObject({ ok: false, failures: 5, wait: 30 });
    await reopen();
    expect(await vault.unlock('246810', t0 + 10_000)).toMatchObject({ ok: false, wait: 20 });
    expect(await vault.waitLeft(t0 + 10_000)).toBe(20);
    expect(await vault.unlock('246810', t0 + 30_000)).toEqual({ ok: true });
    expect(await getMeta('pin_failures')).toBe(null);
  });
});

describe('the sync with a PIN set', () => {
  it('syncs nothing and says "locked" where the key is not held (the service worker)', async () => {
    const server = fakeServer({ residents: residentsN(2) });
    await vault.enable('246810', 5, FAST);
    await outbox.addVisit(visit());
    await reopen(); // as the service worker sees it: a PIN set, no key
    const client = createSyncClient({ store, fetchImpl: server.fetch, jitterMs: 0 });
    const out = await client.run({ automatic: true });
    expect(out).toMatchObject({ ok: false, reason: 'locked' });
    expect(server.requests).toHaveLength(0);
    expect(await getMeta('last_attempt')).toBe(null); // a locked store tried nothing
    expect((await outbox.counts()).waiting).toBe(1);
  });

  it('syncs as usual once unlocked, and keeps the pulled roster sealed', async () => {
    const server = fakeServer({ residents: residentsN(2) });
    server.residents[0].name = NAME;
    await vault.enable('246810', 5, FAST);
    const v = visit();
    await outbox.addVisit(v);
    await reopen();
    await vault.unlock('246810');
    const client = createSyncClient({ store, fetchImpl: server.fetch, jitterMs: 0 });
    expect(await client.run()).toMatchObject({ ok: true, created: 1 });
    expect(server.visits.has(v.id)).toBe(true);
    expect(await rawText('residents')).not.toContain(NAME);
  });
});
