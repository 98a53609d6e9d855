// What the office's review screens work out from the API's answers (docs/reviews.md): kept
// apart from the DOM so it can be tested alone.

export const STATES = ['unreviewed', 'answered', 'returned', 'approved'];

/** Whether this person may review the record: an office person, not its author, not voided. */
export function mayReview(user, { authorId, voided = false } = {}) {
  if (!user || !['supervisor', 'admin'].includes(user.role)) return false;
  return !voided && authorId !== user.id;
}

/** The latest review's replies, newest last, and the amendment each names (if held). */
export function latestReplies(history, amendments = []) {
  const reviews = history?.reviews || [];
  const latest = reviews[reviews.length - 1];
  if (!latest) return [];
  const byId = new Map(amendments.map((a) => [a.id, a]));
  return (latest.replies || []).map((reply) => ({
    ...reply,
    amendment: reply.amendment_id ? byId.get(reply.amendment_id) || null : null,
  }));
}

/** The query of the queue's filters: repeated states, empty ones left out. */
export function queueQuery(filters) {
  const query = { page: filters.page || 1, per_page: filters.per_page || 50 };
  if (filters.states?.length) query.state = filters.states;
  for (const key of ['unit_id', 'office_id', 'worker_id', 'record_kind', 'from', 'to'])
    if (filters[key]) query[key] = filters[key];
  return query;
}
