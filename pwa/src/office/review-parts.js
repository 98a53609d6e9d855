// The review box of a record on the office's screens (a visit on the resident's page, a step
// on the case's page): its state, the comment and the author's answer, and approve / return
// (docs/reviews.md). The queue and the report are views/reviews.js.
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { problemLine, fmtDateTime } from './ui.js';
import { session } from '../state/index.js';
import { mayReview, latestReplies } from './review-logic.js';

/** The state of a record's latest review, as a tag. */
export function reviewTag(review) {
  const state = review?.state || 'unreviewed';
  return h('span', { class: `review-tag review-${state}` }, t(`reviews.state.${state}`));
}

/**
 * The review box of one record. `record`: {kind, id, authorId, voided, amendments, label};
 * `review`: the record's `review` (its latest) or null; `onDone` after a decision.
 */
export function reviewBox(app, api, record, review, onDone) {
  const msg = problemLine();
  const answers = h('div', { class: 'review-answers' });
  const box = h(
    'section',
    { class: 'review-box', 'aria-label': t('reviews.boxFor', { what: record.label }) },
    h('p', { class: 'review-line' }, t('reviews.label'), ' ', reviewTag(review), stateText(review)),
    review?.comment ? h('blockquote', { class: 'review-comment' }, review.comment) : null,
    answers,
    mayReview(session.current()?.user, record) ? decide(app, api, record, msg, onDone) : null,
    msg.el,
  );
  if (review?.answered_at) showAnswers(api, record, answers, msg);
  return box;
}

function stateText(review) {
  if (!review) return '';
  return ` ${t('reviews.byOn', {
    name: review.reviewer?.display_name || '—',
    when: fmtDateTime(review.reviewed_at),
  })}`;
}

/** What the author answered to the latest review: the replies, and the amendment named. */
async function showAnswers(api, record, box, msg) {
  try {
    const history = await api.get('/api/v1/reviews', {
      record_kind: record.kind,
      record_id: record.id,
    });
    const replies = latestReplies(history, record.amendments || []);
    box.replaceChildren(
      h(
        'ul',
        { class: 'plain review-replies' },
        replies.map((reply) =>
          h(
            'li',
            null,
            `${fmtDateTime(reply.at)} · ${reply.author?.display_name || '—'}: `,
            reply.amendment_id
              ? h(
                  'span',
                  { class: 'review-amended' },
                  t('reviews.amendedWith', { reason: reply.amendment?.reason || '—' }),
                )
              : null,
            reply.body ? ` ${reply.body}` : '',
          ),
        ),
      ),
    );
  } catch (err) {
    msg.show(err);
  }
}

/** Approve in one click; return with a comment. */
function decide(app, api, record, msg, onDone) {
  const comment = h('textarea', {
    rows: 2,
    maxlength: 2000,
    class: 'review-comment-input',
    'aria-label': t('reviews.commentFor', { what: record.label }),
  });
  async function send(decision) {
    msg.show(null);
    if (decision === 'returned' && !comment.value.trim()) {
      msg.show(t('reviews.needComment'));
      return comment.focus();
    }
    try {
      await api.send('POST', '/api/v1/reviews', {
        record_kind: record.kind,
        record_id: record.id,
        decision,
        comment: decision === 'returned' ? comment.value.trim() : '',
      });
      app.toast(t(`reviews.done.${decision}`));
      onDone?.();
    } catch (err) {
      msg.show(err);
    }
  }
  return h(
    'div',
    { class: 'review-actions' },
    h(
      'button',
      {
        type: 'button',
        class: 'btn small',
        'aria-label': t('reviews.approveFor', { what: record.label }),
        onclick: () => send('approved'),
      },
      t('reviews.approve'),
    ),
    h(
      'details',
      { class: 'review-return' },
      h('summary', null, t('reviews.return')),
      h(
        'form',
        {
          onsubmit: (e) => {
            e.preventDefault();
            send('returned');
          },
        },
        field(t('reviews.comment'), comment, { hint: t('reviews.commentHint') }),
        h('button', { type: 'submit', class: 'btn small danger' }, t('reviews.returnSubmit')),
      ),
    ),
  );
}

/** A case's step with its review box under it (the case's page); an archived case's steps
 * show their state only. */
export function recordWithReview(app, api, c, record, card, onDone) {
  card.append(
    reviewBox(
      app,
      api,
      {
        kind: 'case_record',
        id: record.id,
        authorId: record.author?.id,
        // An archived case's page is read-only: its steps are reviewed from the queue.
        voided: Boolean(c.purged_at) || c.stage === 'archived',
        label: t(`cases.kind.${record.kind}`),
      },
      record.review || null,
      onDone,
    ),
  );
  return card;
}

/** A visit's review box (the resident's page). */
export function visitReviewBox(app, api, visit, label, onDone) {
  return reviewBox(
    app,
    api,
    {
      kind: 'visit',
      id: visit.id,
      authorId: visit.worker?.id,
      voided: Boolean(visit.voided),
      amendments: visit.amendments || [],
      label,
    },
    visit.review || null,
    onDone,
  );
}
