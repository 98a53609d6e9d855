// Records returned to this worker (docs/reviews.md): the pull's reviews and removals, replies
// in the outbox after the amendments, an answered review leaving the list before the sync, and
// the correction and its reply queued together.
import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient } from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import * as reviews from '../src/sync/reviews.js';
import { resetKeyring } from '../src/sync/keyring.js';
import { db, setMeta } from '../src/sync/db.js';
import { resetDb } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';
import { mayReview, latestReplies, queueQuery } from '../src/office/review-logic.js';

let server;
let client;

beforeEach(async () => {
  resetKeyring();
  await resetDb();
  await setMeta('session', { token: 'tok', user: { id: 'me', username: 'wang' } });
  server = fakeServer({ residents: residentsN(2) });
  client = createSyncClient({ store, fetchImpl: server.fetch, appVersion: 'test' });
});

/** A returned review as the pull sends it. */
function returned(id, over = {}) {
  return {
    id,
    record_kind: 'visit',
    record_id: `visit-${id}`,
    resident_id: 'r1',
    resident_name: '王桂英',
    record_at: '2026-11-23T09:00:00+08:00',
    comment: '请补充血压数值',
    reviewer: { id: 'sup', display_name: '李督导' },
    reviewed_at: '2026-11-23T15:00:00+08:00',
    ...over,
  };
}

function serverReturns(...entries) {
  for (const entry of entries) {
    server.reviews.set(entry.id, entry);
    server.changedReviews.add(entry.id);
  }
}

const amendment = (visitId) => ({
  id: `am-${visitId}`,
  visit_id: visitId,
  changes: { service_given: '测血压 130/85' },
  reason: '补充血压',
});

describe('returned records on the phone', () => {
  it('keeps the pulled reviews and drops those the server removes', async () => {
    serverReturns(returned('a'), returned('b'));
    await client.run();
    expect((await reviews.openReviews()).map((r) => r.id)).toEqual(['a', 'b']);
    server.reviews.delete('a');
    server.removedReviews.add('a');
    await client.run();
    expect((await reviews.openReviews()).map((r) => r.id)).toEqual(['b']);
  });

  it('a reset keeps only what it carried', async () => {
    serverReturns(returned('a'));
    await client.run();
    server.reviews.clear();
    server.resetNext = true;
    await client.run();
    expect(await reviews.heldReviews()).toEqual([]);
  });

  it('an answered review leaves the list at once, before any sync', async () => {
    serverReturns(returned('a'), returned('b'));
    await client.run();
    const [first] = await reviews.openReviews();
    await reviews.addReply(first, '  已补充  ');
    expect((await reviews.openReviews()).map((r) => r.id)).toEqual(['b']);
    const [item] = await outbox.pendingItems();
    expect(item.type).toBe('review_reply');
    expect(item.payload).toMatchObject({ review_id: 'a', body: '已补充', amendment_id: null });
    expect(item.resident_id).toBe('r1');
  });

  it('the reply goes with the sync and the review stays gone', async () => {
    serverReturns(returned('a'));
    await client.run();
    await reviews.addReply((await reviews.openReviews())[0], '已补充');
    await client.run();
    const sent = server.requests.at(-1).body;
    expect(sent.review_replies.map((r) => r.review_id)).toEqual(['a']);
    expect(await outbox.pendingItems()).toEqual([]);
    expect(await reviews.heldReviews()).toEqual([]);
  });

  it('a correction and its reply are queued together, the amendment first', async () => {
    serverReturns(returned('a'));
    await client.run();
    const review = (await reviews.openReviews())[0];
    const made = amendment(review.record_id);
    await reviews.addAmendmentWithReply(made, review);
    const items = await outbox.pendingItems();
    expect(items.map((i) => i.type)).toEqual(['amendment', 'review_reply']);
    expect(items[1].payload.amendment_id).toBe(made.id);
    expect(await reviews.reviewOfVisit(review.record_id)).toBeUndefined();
  });

  it('a reply whose amendment the server has not got waits and goes again', async () => {
    serverReturns(returned('a'));
    await client.run();
    const review = (await reviews.openReviews())[0];
    const reply = reviews.newReply(review.id, { amendmentId: 'am-later' });
    await db.outbox.add(outbox.row('review_reply', reply, new Date()));
    await client.run();
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual([reply.id]);
    expect(await outbox.problems()).toEqual([]);
    await outbox.addAmendment({ ...amendment(review.record_id), id: 'am-later' });
    await client.run();
    expect(await outbox.pendingItems()).toEqual([]);
  });

  it('a failed transaction leaves neither the correction nor the reply', async () => {
    serverReturns(returned('a'));
    await client.run();
    const review = (await reviews.openReviews())[0];
    const made = amendment(review.record_id);
    await outbox.addAmendment(made); // the same id is taken: the pair must fail whole
    await expect(reviews.addAmendmentWithReply(made, review)).rejects.toThrow();
    const items = await outbox.pendingItems();
    expect(items.map((i) => i.type)).toEqual(['amendment']);
  });
});

describe('the office review logic', () => {
  it('only an office person other than the author reviews a live record', () => {
    const sup = { id: 's', role: 'supervisor' };
    expect(mayReview(sup, { authorId: 'w' })).toBe(true);
    expect(mayReview(sup, { authorId: 's' })).toBe(false);
    expect(mayReview(sup, { authorId: 'w', voided: true })).toBe(false);
    expect(mayReview({ id: 'w', role: 'worker' }, { authorId: 'x' })).toBe(false);
  });

  it('names the amendment a reply answered with', () => {
    const history = {
      reviews: [
        { replies: [{ id: 'old' }] },
        { replies: [{ id: 'r', amendment_id: 'am', body: '' }] },
      ],
    };
    const [reply] = latestReplies(history, [{ id: 'am', reason: '补充血压' }]);
    expect(reply.amendment.reason).toBe('补充血压');
  });

  it('builds the queue query from its filters', () => {
    expect(queueQuery({ states: ['unreviewed'], unit_id: 'u', worker_id: '' })).toEqual({
      page: 1,
      per_page: 50,
      state: ['unreviewed'],
      unit_id: 'u',
    });
  });
});
