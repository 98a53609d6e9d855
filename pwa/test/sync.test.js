import { describe, it, expect, beforeEach } from 'vitest';
import {
  createSyncClient,
  jitterDelay,
  retryAfterSeconds,
  AUTO_SYNC_JITTER_MS,
} from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import { db, getMeta, setMeta } from '../src/sync/db.js';
import { resetDb, visit } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';

let server;
let client;
const make = (opts = {}) =>
  createSyncClient({ store, fetchImpl: server.fetch, appVersion: 'test', ...opts });

beforeEach(async () => {
  await resetDb();
  await setMeta('session', { token: 'tok', user: { username: 'wang' } });
  server = fakeServer({ residents: residentsN(5) });
  client = make();
});

async function addVisits(n, over = {}) {
  const vs = [];
  for (let i = 0; i < n; i++) {
    const v = visit(over);
    vs.push(v);
    await outbox.addVisit(v, new Date(Date.now() + i));
  }
  return vs;
}

describe('sync client', () => {
  it('pushes visits, pulls the roster and keeps the cursor', async () => {
    const vs = await addVisits(3);
    const out = await client.run();
    expect(out).toMatchObject({ ok: true, created: 3 });
    expect(server.visits.size).toBe(3);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.synced.count()).toBe(3);
    expect(await db.residents.count()).toBe(5);
    expect(await getMeta('cursor')).toBe('c:5');
    expect(await getMeta('last_sync')).toBe(out.at);
    const req = server.requests[0];
    expect(req.headers['X-Rounds-App']).toBe('test');
    expect(req.body.cursor).toBeNull();
    expect(req.body.device_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(req.body.visits.map((v) => v.id)).toEqual(vs.map((v) => v.id));
  });

  it('repairs a lost answer by retrying: the server ends up with each visit once', async () => {
    await addVisits(4);
    server.loseNextAnswer = 1;
    const first = await client.run();
    expect(first).toMatchObject({ ok: false, reason: 'network' });
    expect(server.visits.size).toBe(4); // the server stored them...
    expect(await db.outbox.count()).toBe(4); // ...but the phone never heard it, so it keeps them
    const second = await client.run();
    expect(second).toMatchObject({ ok: true, duplicate: 4, created: 0 });
    expect(await db.outbox.count()).toBe(0);
    expect(server.visits.size).toBe(4);
  });

  it('keeps everything on 401 and asks for a new login', async () => {
    await addVisits(2);
    server.token = 'other';
    const out = await client.run();
    expect(out).toMatchObject({ ok: false, reason: 'auth' });
    expect(await db.outbox.count()).toBe(2);
    expect(await getMeta('auth_expired')).toBe(true);
    expect(await getMeta('last_sync')).toBeNull();
    server.token = 'tok';
    expect(await client.run()).toMatchObject({ ok: true, created: 2 });
    expect(await getMeta('auth_expired')).toBeNull();
  });

  it('splits a batch the server finds too large (413)', async () => {
    server.maxItems = 30;
    await addVisits(100);
    const out = await client.run();
    expect(out).toMatchObject({ ok: true, created: 100 });
    expect(server.visits.size).toBe(100);
    expect(await db.outbox.count()).toBe(0);
    const accepted = server.requests.filter(
      (r) => r.body.visits.length <= 30 && r.body.visits.length > 0,
    );
    expect(accepted.reduce((n, r) => n + r.body.visits.length, 0)).toBe(100);
  });

  it('sends at most 200 visits a request', async () => {
    await addVisits(450);
    await client.run();
    expect(server.requests.map((r) => r.body.visits.length)).toEqual([200, 200, 50]);
    expect(server.visits.size).toBe(450);
  });

  it('splits by body size too', async () => {
    client = make({ maxBytes: 5000 });
    await addVisits(20, { feedback: 'x'.repeat(1000) });
    await client.run();
    expect(server.requests.length).toBeGreaterThan(4);
    expect(server.visits.size).toBe(20);
  });

  it('keeps rejected visits with the server reasons and drops the accepted ones', async () => {
    const [good, bad] = [visit(), visit({ feedback: 'BAD' })];
    await outbox.addVisit(good);
    await outbox.addVisit(bad);
    server.rejectIf = (v) => (v.feedback === 'BAD' ? { feedback: ['not allowed'] } : null);
    const out = await client.run();
    expect(out).toMatchObject({ ok: true, created: 1, rejected: 1 });
    const left = await outbox.all();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({
      id: bad.id,
      state: 'rejected',
      errors: { feedback: ['not allowed'] },
    });
    // A rejected record is not sent again until the worker fixes it.
    await client.run();
    expect(server.requests.at(-1).body.visits).toHaveLength(0);
    await outbox.replacePayload(bad.id, { ...bad, feedback: 'fine' });
    expect(await client.run()).toMatchObject({ created: 1 });
    expect(await db.outbox.count()).toBe(0);
  });

  it('reports a conflict and keeps the record', async () => {
    const v = visit();
    server.visits.set(v.id, JSON.stringify({ ...v, feedback: 'other' }));
    await outbox.addVisit(v);
    expect(await client.run()).toMatchObject({ ok: true, conflict: 1 });
    expect((await outbox.all())[0].state).toBe('conflict');
  });

  it('follows more: true pages until the end', async () => {
    server.residents = residentsN(7);
    server.pageSize = 3;
    await client.run();
    expect(await db.residents.count()).toBe(7);
    expect(server.requests.map((r) => r.body.cursor)).toEqual([null, 'c:3', 'c:6']);
    expect(await getMeta('cursor')).toBe('c:7');
  });

  it('names the residents a sync changed, or none after a full resend', async () => {
    expect((await client.run()).changed).toBeNull(); // the first pull is a full resend
    server.residents = [...server.residents, ...residentsN(7).slice(5)];
    const out = await client.run();
    expect(out.changed).toEqual(['r6', 'r7']);
    expect(await getMeta('last_attempt')).not.toHaveProperty('changed');
  });

  it('replaces the roster on reset, pruning what the resend did not carry', async () => {
    await client.run();
    await db.residents.put({ id: 'gone', unit_id: 'u1', name: 'Moved away', status: 'active' });
    server.resetNext = true;
    server.pageSize = 2;
    await client.run();
    expect(await db.residents.get('gone')).toBeUndefined();
    expect(await db.residents.count()).toBe(5);
  });

  it('treats a timeout as a failure and keeps the outbox', async () => {
    client = make({ timeoutMs: 30 });
    await addVisits(1);
    server.hangNext = 1;
    const out = await client.run();
    expect(out).toMatchObject({ ok: false, reason: 'timeout' });
    expect(await db.outbox.count()).toBe(1);
    expect((await getMeta('last_attempt')).reason).toBe('timeout');
  });

  it('compresses large bodies with gzip', async () => {
    await addVisits(10);
    await client.run();
    expect(server.requests[0].gzip).toBe(true);
    expect(server.visits.size).toBe(10);
  });

  it('falls back to plain JSON if the server refuses gzip (415)', async () => {
    const inner = server.fetch;
    server.fetch = async (url, init) =>
      init.headers['Content-Encoding']
        ? { status: 415, ok: false, headers: new Map(), text: async () => '{}' }
        : inner(url, init);
    client = make();
    await addVisits(10);
    expect(await client.run()).toMatchObject({ ok: true, created: 10 });
  });

  it('shares one run between concurrent callers', async () => {
    await addVisits(2);
    const [a, b] = await Promise.all([client.run(), client.run()]);
    expect(a).toBe(b);
    expect(server.requests).toHaveLength(1);
  });

  it('sends amendments after visits', async () => {
    const [v] = await addVisits(1);
    await client.run();
    await outbox.addAmendment({
      id: 'am-1',
      visit_id: v.id,
      changes: { feedback: 'ok' },
      reason: 'typo',
    });
    expect(await client.run()).toMatchObject({ ok: true, created: 1 });
    expect(server.amendments.has('am-1')).toBe(true);
  });
});

/** A sleep that ends only when the test says so; it records every wait asked for. */
function heldSleep() {
  const waits = [];
  return { waits, sleep: (ms) => new Promise((resolve) => waits.push({ ms, end: resolve })) };
}
/** Lets pending promise chains (and fake IndexedDB) run: a real macrotask, no clock involved. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The fake server answers `status` with Retry-After once, then normally (call before make). */
function busyOnce(status, retryAfter) {
  const inner = server.fetch;
  let busy = true;
  server.fetch = async (url, init) => {
    if (!busy) return inner(url, init);
    busy = false;
    server.requests.push({ headers: init.headers, busy: status });
    const headers = new Map([['Retry-After', retryAfter]]);
    return {
      status,
      ok: false,
      headers,
      text: async () => JSON.stringify({ title: 'Busy', status, detail: 'Try again later' }),
    };
  };
}

describe("automatic syncs wait a random moment; the worker's do not", () => {
  it('draws the wait from [0, 10 s): whole milliseconds, never the top of the window', () => {
    expect(AUTO_SYNC_JITTER_MS).toBe(10_000);
    expect(jitterDelay(() => 0)).toBe(0);
    expect(jitterDelay(() => 0.5)).toBe(5_000);
    expect(jitterDelay(() => 0.9999999)).toBe(9_999);
    expect(jitterDelay(() => 1)).toBe(9_999); // Math.random never gives 1; stay inside anyway
    expect(jitterDelay(() => 0.5, 0)).toBe(0);
    for (let i = 0; i < 1000; i++) {
      const d = jitterDelay();
      expect(Number.isInteger(d) && d >= 0 && d < AUTO_SYNC_JITTER_MS).toBe(true);
    }
  });

  it('sends nothing until the wait is over', async () => {
    const { waits, sleep } = heldSleep();
    client = make({ sleep, random: () => 0.25 });
    await addVisits(2);
    const pending = client.run({ automatic: true });
    await settle();
    expect(waits.map((w) => w.ms)).toEqual([2_500]);
    expect(server.requests).toHaveLength(0);
    waits[0].end();
    expect(await pending).toMatchObject({ ok: true, created: 2 });
    expect(server.requests).toHaveLength(1);
  });

  it('a sync the worker asks for goes at once', async () => {
    const { waits, sleep } = heldSleep();
    client = make({ sleep, random: () => 0.99 });
    await addVisits(1);
    expect(await client.run()).toMatchObject({ ok: true, created: 1 });
    expect(waits).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('"Sync now" during an automatic wait goes at once; the waiting sync shares its answer', async () => {
    const { waits, sleep } = heldSleep();
    client = make({ sleep, random: () => 0.99 });
    await addVisits(1);
    const automatic = client.run({ automatic: true });
    const again = client.run({ automatic: true }); // the timer fires too: it joins the wait
    expect(again).toBe(automatic);
    await settle();
    expect(server.requests).toHaveLength(0);
    const manual = await client.run();
    expect(manual).toMatchObject({ ok: true, created: 1 });
    expect(await automatic).toBe(manual);
    expect(server.requests).toHaveLength(1);
    expect(waits).toHaveLength(1); // the wait was cut short, never waited out
  });

  for (const status of [503, 429]) {
    it(`after a ${status} with Retry-After, automatic syncs wait that long first; the worker's do not`, async () => {
      const { waits, sleep } = heldSleep();
      const at = new Date('2026-11-23T10:00:00Z');
      busyOnce(status, '120');
      client = make({ sleep, random: () => 0, now: () => at });
      await addVisits(1);
      const refused = await client.run();
      expect(refused).toMatchObject({
        ok: false,
        reason: 'server',
        status,
        retryAfter: 120,
        message: 'Try again later',
      });
      expect(await db.outbox.count()).toBe(1);

      const automatic = client.run({ automatic: true });
      await settle();
      expect(waits.map((w) => w.ms)).toEqual([120_000]);
      expect(server.requests).toHaveLength(1);
      waits[0].end();
      expect(await automatic).toMatchObject({ ok: true, created: 1 });

      // Once a sync has gone through, only the jitter is left (here 0: no wait at all).
      expect(await client.run({ automatic: true })).toMatchObject({ ok: true });
      expect(waits).toHaveLength(1);
    });
  }

  it('a manual sync right after a 503 is not held back', async () => {
    const { waits, sleep } = heldSleep();
    busyOnce(503, '600');
    client = make({ sleep, random: () => 0.5 });
    await addVisits(1);
    expect(await client.run()).toMatchObject({ ok: false, status: 503, retryAfter: 600 });
    expect(await client.run()).toMatchObject({ ok: true, created: 1 });
    expect(waits).toHaveLength(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-10-21T07:27:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:28:00 GMT', now)).toBe(60);
    expect(retryAfterSeconds('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('', now)).toBeNull();
  });
});
