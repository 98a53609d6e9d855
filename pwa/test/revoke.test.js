// A phone signed out by the office (its device revoked): the roster and the draft go, the
// unsent visits stay for the next login, and an expired session still costs nothing.
import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient, revokedBy401 } from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import { db, getMeta, setMeta } from '../src/sync/db.js';
import { resetKeyring } from '../src/sync/keyring.js';
import { resetDb, visit } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';

const NOW = new Date('2026-11-25T10:00:00Z');
const problem = (extra = {}) =>
  JSON.stringify({ title: 'Unauthorized', status: 401, detail: 'Log in again', ...extra });

describe('telling "revoked" from "expired"', () => {
  const session = { token: 'tok', expires_at: '2026-12-25T10:00:00Z' };

  it('takes the problem code or type when the server names it', () => {
    expect(revokedBy401(problem({ code: 'device_revoked' }), {}, null, NOW)).toBe(true);
    expect(revokedBy401(problem({ type: '/problems/device-revoked' }), {}, null, NOW)).toBe(true);
    const expired = problem({ code: 'session_expired' });
    expect(revokedBy401(expired, session, null, NOW)).toBe(false);
  });

  it('otherwise: refused well before its own expiry means revoked', () => {
    expect(revokedBy401(problem(), session, null, NOW)).toBe(true);
    expect(revokedBy401(problem(), session, null, new Date('2026-12-25T10:00:30Z'))).toBe(false);
    expect(revokedBy401(problem(), session, null, new Date('2026-12-26T00:00:00Z'))).toBe(false);
  });

  it("trusts the server's clock (Date header) over the phone's", () => {
    const late = 'Sat, 26 Dec 2026 00:00:00 GMT';
    expect(revokedBy401(problem(), session, late, NOW)).toBe(false);
    const early = 'Wed, 25 Nov 2026 10:00:00 GMT';
    expect(revokedBy401(problem(), session, early, new Date('2027-01-01T00:00:00Z'))).toBe(true);
  });

  it('says nothing without an expiry to compare with, or with an unreadable answer', () => {
    expect(revokedBy401(problem(), { token: 'tok' }, null, NOW)).toBe(false);
    expect(revokedBy401('<html>', session, null, NOW)).toBe(true); // still before expiry
    expect(revokedBy401('<html>', { token: 'tok' }, null, NOW)).toBe(false);
  });
});

describe('a revoked device', () => {
  let server;
  const client = () =>
    createSyncClient({ store, fetchImpl: server.fetch, jitterMs: 0, now: () => NOW });

  beforeEach(async () => {
    resetKeyring();
    await resetDb();
    server = fakeServer({ residents: residentsN(3) });
    await setMeta('session', {
      token: 'tok',
      expires_at: '2026-12-25T10:00:00Z',
      user: { username: 'wang' },
    });
    expect(await client().run()).toMatchObject({ ok: true });
    expect(await db.residents.count()).toBe(3);
  });

  it('forgets the roster, the synced visits and the draft, and keeps the unsent visits', async () => {
    const sent = visit();
    await outbox.addVisit(sent);
    await client().run();
    const waiting = visit();
    await outbox.addVisit(waiting);
    await setMeta('draft', { id: 'd', resident_id: 'r1' });
    server.token = 'another'; // the office revoked the phone's token

    const out = await client().run();
    expect(out).toMatchObject({ ok: false, reason: 'auth', revoked: true });
    expect(await db.residents.count()).toBe(0);
    expect(await db.units.count()).toBe(0);
    expect(await db.synced.count()).toBe(0);
    expect(await getMeta('draft')).toBe(null);
    expect(await getMeta('cursor')).toBe(null); // the next login pulls the roster afresh
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual([waiting.id]);
    expect(await getMeta('revoked')).toEqual({ at: out.at, draft: true });
    expect(await getMeta('auth_expired')).toBe(true);
    expect(await getMeta('session')).toMatchObject({ user: { username: 'wang' } });
  });

  it('sends the kept visits once the worker has logged in again', async () => {
    const waiting = visit();
    await outbox.addVisit(waiting);
    server.token = 'another';
    await client().run();
    await setMeta('session', { token: 'another', expires_at: '2026-12-26T10:00:00Z', user: {} });
    expect(await client().run()).toMatchObject({ ok: true, created: 1 });
    expect(server.visits.has(waiting.id)).toBe(true);
    expect(await db.residents.count()).toBe(3);
  });

  it('keeps everything when the session simply ran out', async () => {
    await outbox.addVisit(visit());
    server.token = 'another';
    const late = createSyncClient({
      store,
      fetchImpl: server.fetch,
      jitterMs: 0,
      now: () => new Date('2026-12-26T00:00:00Z'),
    });
    const out = await late.run();
    expect(out).toMatchObject({ ok: false, reason: 'auth' });
    expect(out.revoked).toBeUndefined();
    expect(await db.residents.count()).toBe(3);
    expect(await getMeta('revoked')).toBe(null);
  });
});
