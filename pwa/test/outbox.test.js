import { describe, it, expect, beforeEach } from 'vitest';
import * as outbox from '../src/sync/outbox.js';
import { db } from '../src/sync/db.js';
import { resetDb, visit } from './helpers.js';

beforeEach(resetDb);

describe('outbox', () => {
  it('keeps visits in the order they were made, visits before amendments', async () => {
    const a = visit();
    const b = visit();
    await outbox.addAmendment(
      { id: 'am1', visit_id: 'v0', changes: { feedback: 'x' }, reason: 'typo' },
      new Date(1000),
    );
    await outbox.addVisit(b, new Date(3000));
    await outbox.addVisit(a, new Date(2000));
    const ids = (await outbox.pendingItems()).map((i) => i.id);
    expect(ids).toEqual([a.id, b.id, 'am1']);
    expect(await outbox.counts()).toEqual({ waiting: 3, problems: 0, total: 3 });
  });

  it('deletes only on created or duplicate and keeps a copy for corrections', async () => {
    const [a, b, c, d] = [visit(), visit(), visit(), visit()];
    for (const v of [a, b, c, d]) await outbox.addVisit(v);
    const sent = await outbox.pendingItems();
    const tally = await outbox.applyResults(
      [
        { id: a.id, kind: 'visit', status: 'created' },
        { id: b.id, kind: 'visit', status: 'duplicate' },
        {
          id: c.id,
          kind: 'visit',
          status: 'rejected',
          errors: { 'signature.strokes': ['too many points'] },
        },
        // d: no result at all (lost in the answer) -> stays pending
      ],
      sent,
    );
    expect(tally).toMatchObject({ created: 1, duplicate: 1, rejected: 1 });
    const left = await outbox.all();
    expect(left.map((i) => [i.id, i.state])).toEqual([
      [c.id, 'rejected'],
      [d.id, 'pending'],
    ]);
    expect(left[0].errors).toEqual({ 'signature.strokes': ['too many points'] });
    expect((await db.synced.toArray()).map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(await outbox.counts()).toEqual({ waiting: 1, problems: 1, total: 2 });
  });

  it('ignores results for records it did not send', async () => {
    const a = visit();
    await outbox.addVisit(a);
    await outbox.applyResults([{ id: a.id, kind: 'visit', status: 'created' }], []);
    expect(await outbox.counts()).toMatchObject({ waiting: 1 });
  });

  it('sends a fixed rejected record again under the same id', async () => {
    const a = visit();
    await outbox.addVisit(a);
    const codes = { feedback: [{ code: 'length', max: 2000, message: 'too long' }] };
    await outbox.applyResults(
      [
        {
          id: a.id,
          kind: 'visit',
          status: 'rejected',
          errors: { feedback: ['too long'] },
          codes,
        },
      ],
      await outbox.pendingItems(),
    );
    expect((await outbox.all())[0].codes).toEqual(codes);
    await outbox.replacePayload(a.id, { ...a, feedback: 'short' });
    const [item] = await outbox.pendingItems();
    expect(item).toMatchObject({ id: a.id, state: 'pending', errors: null, codes: null });
    expect(item.payload.feedback).toBe('short');
  });

  it('sends a conflicting record as a new one', async () => {
    const a = visit();
    await outbox.addVisit(a);
    await outbox.applyResults(
      [{ id: a.id, kind: 'visit', status: 'conflict', errors: {} }],
      await outbox.pendingItems(),
    );
    expect(await outbox.counts()).toMatchObject({ problems: 1 });
    await outbox.resendAsNew(a.id);
    const [item] = await outbox.pendingItems();
    expect(item.id).not.toBe(a.id);
    expect(item.payload.id).toBe(item.id);
    expect(item.payload.service_given).toBe(a.service_given);
  });

  it('records an accepted amendment on the kept visit', async () => {
    const a = visit();
    await outbox.addVisit(a);
    await outbox.applyResults(
      [{ id: a.id, kind: 'visit', status: 'created' }],
      await outbox.pendingItems(),
    );
    await outbox.addAmendment({
      id: 'am1',
      visit_id: a.id,
      changes: { feedback: 'fixed' },
      reason: 'typo',
    });
    await outbox.applyResults(
      [{ id: 'am1', kind: 'amendment', status: 'created' }],
      await outbox.pendingItems(),
    );
    const kept = await db.synced.get(a.id);
    expect(kept.amendments).toHaveLength(1);
    expect(await outbox.counts()).toMatchObject({ total: 0 });
  });

  it('forgets synced copies after the correction window', async () => {
    const a = visit();
    await outbox.addVisit(a);
    await outbox.applyResults(
      [{ id: a.id, kind: 'visit', status: 'created' }],
      await outbox.pendingItems(),
      new Date('2026-11-01T00:00:00Z'),
    );
    expect(await outbox.recentSynced(new Date('2026-11-10T00:00:00Z'))).toHaveLength(1);
    await outbox.purgeSynced(new Date('2026-11-20T00:00:00Z'));
    expect(await db.synced.count()).toBe(0);
  });
});
