import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient } from '../src/sync.js';
import { store } from '../src/store.js';
import * as outbox from '../src/outbox.js';
import { db, getMeta, setMeta } from '../src/db.js';
import { resetDb, visit } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';

let server;
let client;
const make = (opts = {}) => createSyncClient({ store, fetchImpl: server.fetch, appVersion: 'test', ...opts });

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
    const accepted = server.requests.filter((r) => r.body.visits.length <= 30 && r.body.visits.length > 0);
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
    expect(left[0]).toMatchObject({ id: bad.id, state: 'rejected', errors: { feedback: ['not allowed'] } });
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
    server.fetch = async (url, init) => (init.headers['Content-Encoding'] ? { status: 415, ok: false, headers: new Map(), text: async () => '{}' } : inner(url, init));
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
    await outbox.addAmendment({ id: 'am-1', visit_id: v.id, changes: { feedback: 'ok' }, reason: 'typo' });
    expect(await client.run()).toMatchObject({ ok: true, created: 1 });
    expect(server.amendments.has('am-1')).toBe(true);
  });
});
