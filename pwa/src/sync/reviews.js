// Records a supervisor returned to this worker (docs/reviews.md). Two places hold them:
//   reviews   the server's copy of each returned, unanswered review of the worker's own
//             records, as the pull left it
//   outbox    the replies made here (type 'review_reply'), until the server answers for them
// What Records shows is the server's copy less the reviews a reply here already answers, so an
// answered review leaves the list at once, offline. Rows are sealed like every other
// (sync/vault.js): a comment may name what a resident said.
import { db, uuid } from './db.js';
import { sealRow, sealRows, openRows } from './vault.js';
import * as outbox from './outbox.js';

/** Every review the server sent, as held. */
export async function heldReviews() {
  return openRows('reviews', await db.reviews.toArray());
}

/** The reviews still waiting for this worker's answer, oldest return first. */
export async function openReviews() {
  const [held, items] = await Promise.all([heldReviews(), outbox.all()]);
  const answered = new Set(
    items.filter((i) => i.type === 'review_reply').map((i) => i.payload.review_id),
  );
  return held
    .filter((r) => !answered.has(r.id))
    .sort((a, b) => String(a.reviewed_at).localeCompare(String(b.reviewed_at)));
}

/** A reply as the server takes it: a text, the amendment made in answer, or both. */
export function newReply(reviewId, { body = '', amendmentId = null } = {}, at = new Date()) {
  return {
    id: uuid(),
    review_id: reviewId,
    body: body.trim(),
    amendment_id: amendmentId,
    at: at.toISOString(),
  };
}

/** The outbox row of a reply; it carries what Records shows of it (never sent). */
function replyRow(reply, review, now) {
  const item = outbox.row('review_reply', reply, now, {
    resident_name: review?.resident_name ?? null,
  });
  return { ...item, resident_id: review?.resident_id ?? null };
}

/** Queue a text reply to a returned record. */
export async function addReply(review, body, now = new Date()) {
  const reply = newReply(review.id, { body }, now);
  await db.outbox.add(await sealRow('outbox', replyRow(reply, review, now)));
  return reply;
}

/**
 * The amendment that corrects a returned visit, and the reply naming it, in one transaction:
 * both are queued or neither. The reply goes after the amendment (outbox TYPES), and waits for
 * it if the server has not got it yet.
 */
export async function addAmendmentWithReply(amendment, review, body = '', now = new Date()) {
  const reply = newReply(review.id, { body, amendmentId: amendment.id }, now);
  const [amendmentRow, reply_] = await Promise.all([
    sealRow('outbox', outbox.row('amendment', amendment, now)),
    sealRow('outbox', replyRow(reply, review, now)),
  ]);
  await db.transaction('rw', db.outbox, async () => {
    await db.outbox.add(amendmentRow);
    await db.outbox.add(reply_);
  });
  return reply;
}

/** The open review of a visit, if one waits for this worker's answer. */
export async function reviewOfVisit(visitId) {
  return (await openReviews()).find((r) => r.record_kind === 'visit' && r.record_id === visitId);
}

/** The server holds these replies: the reviews they answer go now, before the pull says so. */
export async function keepAccepted(items) {
  const answered = items.filter((i) => i.type === 'review_reply').map((i) => i.payload.review_id);
  if (answered.length) await db.reviews.bulkDelete(answered);
}

/** The pull's returned records and the ids answered or superseded since. */
export async function applyPulled(reviews = [], removed = []) {
  const rows = await sealRows('reviews', reviews);
  await db.transaction('rw', db.reviews, async () => {
    if (rows.length) await db.reviews.bulkPut(rows);
    if (removed.length) await db.reviews.bulkDelete(removed);
  });
}

/** After a full resend: drop the reviews it did not carry. Returns how many went. */
export async function prune(seen) {
  const held = await db.reviews.toCollection().primaryKeys();
  const gone = held.filter((id) => !seen.has(id));
  if (gone.length) await db.reviews.bulkDelete(gone);
  return gone.length;
}
