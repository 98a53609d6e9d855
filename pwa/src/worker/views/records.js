// Records on this phone: those a supervisor returned (with the comment, to correct or answer),
// those the server refused (with its reasons, to fix and resend), those waiting, and visits sent
// in the last days (open to correction by amendment).
import { h, svg, append, field, choice } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';
import * as outbox from '../../sync/outbox.js';
import * as reviews from '../../sync/reviews.js';
import { uuid } from '../../sync/db.js';
import { errorsText, fieldErrors } from './errors.js';
import { visitSummary } from './confirm.js';
import { draft, roster, status, syncing } from '../../state/index.js';

export function recordsView(app) {
  const el = h('section', { class: 'view records' }, h('h1', null, t('records.title')));
  const body = h('div');
  el.append(body);

  async function draw() {
    const [items, synced, returned] = await Promise.all([
      outbox.all(),
      outbox.recentSynced(),
      reviews.openReviews(),
    ]);
    const problems = items.filter((i) => i.state !== outbox.PENDING);
    const waiting = items.filter((i) => i.state === outbox.PENDING);
    const name = (i) =>
      roster.resident(i.resident_id || i.payload.resident_id)?.name || t('visit.unknownResident');
    const amendName = (i) => {
      const v = synced.find((s) => s.id === i.payload.visit_id);
      return v ? roster.resident(v.resident_id)?.name || '—' : '—';
    };
    const label = (i) =>
      i.type === 'visit'
        ? `${name(i)} · ${fmtWhen(i.payload.checked_in_at)}`
        : i.type === 'amendment'
          ? `${t('records.amendmentOf', { name: amendName(i) })} · ${fmtWhen(i.created_at)}`
          : `${taskLabel(i)} · ${fmtWhen(i.created_at)}`;

    body.replaceChildren(
      returnedSection(returned, synced),
      h('h2', null, t('records.problems', { n: problems.length })),
      problems.length
        ? h(
            'ul',
            { class: 'cards' },
            problems.map((i) =>
              h(
                'li',
                { class: 'card bad' },
                h('p', { class: 'card-title' }, label(i)),
                h(
                  'p',
                  null,
                  '⚠ ',
                  i.state === 'conflict' ? t('records.conflict') : t('records.rejected'),
                ),
                h('p', { class: 'reasons' }, errorsText(i.errors, i.codes) || '—'),
                h(
                  'div',
                  { class: 'row' },
                  i.type !== 'visit' && i.type !== 'amendment'
                    ? null
                    : i.state === 'rejected'
                      ? h(
                          'button',
                          {
                            type: 'button',
                            class: 'btn',
                            'aria-label': `${t('records.fix')}: ${label(i)}`,
                            onclick: () => fix(i),
                          },
                          t('records.fix'),
                        )
                      : h(
                          'button',
                          {
                            type: 'button',
                            class: 'btn',
                            'aria-label': `${t('records.sendAsNew')}: ${label(i)}`,
                            onclick: () => asNew(i),
                          },
                          t('records.sendAsNew'),
                        ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn secondary',
                      'aria-label': `${t('records.discard')}: ${label(i)}`,
                      onclick: () => discard(i),
                    },
                    t('records.discard'),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'note' }, t('records.noProblems')),
      h('h2', null, t('records.waiting', { n: waiting.length })),
      waiting.length
        ? h(
            'ul',
            { class: 'plain' },
            waiting.map((i) => h('li', null, hourglass(), ' ', label(i))),
          )
        : h('p', { class: 'note' }, t('records.noneWaiting')),
      h('h2', null, t('records.sent')),
      synced.length
        ? h(
            'ul',
            { class: 'cards' },
            synced.map((s) =>
              h(
                'li',
                { class: 'card' },
                h(
                  'p',
                  { class: 'card-title' },
                  `${roster.resident(s.resident_id)?.name || '—'} · ${fmtWhen(s.payload.checked_in_at)}`,
                ),
                s.amendments?.length
                  ? h(
                      'p',
                      { class: 'hint' },
                      s.amendments.length === 1
                        ? t('records.amendedOnce')
                        : t('records.amended', { n: s.amendments.length }),
                    )
                  : null,
                h(
                  'a',
                  {
                    class: 'btn secondary',
                    href: `#/amend/${s.id}`,
                    'aria-label': `${t('records.correct')}: ${roster.resident(s.resident_id)?.name || ''} ${fmtWhen(s.payload.checked_in_at)}`,
                  },
                  t('records.correct'),
                ),
              ),
            ),
          )
        : h('p', { class: 'note' }, t('records.noneSent')),
    );
  }

  /** "Returned to you": each returned record with its comment, to correct or answer. */
  function returnedSection(returned, synced) {
    const section = h('div', { class: 'my-review-section' });
    if (!returned.length) return section;
    const kept = new Set(synced.map((s) => s.id));
    return append(
      section,
      h('h2', null, t('myReviews.title', { n: returned.length })),
      h(
        'ul',
        { class: 'cards my-review-list' },
        returned.map((r) => returnedCard(r, kept.has(r.record_id))),
      ),
    );
  }

  function returnedCard(review, correctable) {
    const what = `${review.resident_name || '—'} · ${fmtWhen(review.record_at)}`;
    const text = h('textarea', { rows: 3, maxlength: 2000, class: 'my-review-text' });
    const err = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      { class: 'my-review-reply', hidden: true, onsubmit: (e) => sendReply(e, review, text, err) },
      field(t('myReviews.replyLabel'), text),
      err,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'submit', class: 'btn' }, t('myReviews.send')),
        h(
          'button',
          { type: 'button', class: 'btn secondary', onclick: () => (form.hidden = true) },
          t('common.cancel'),
        ),
      ),
    );
    return h(
      'li',
      { class: 'card my-review', 'data-review': review.id },
      h('p', { class: 'card-title' }, what),
      h(
        'p',
        { class: 'hint' },
        review.record_kind === 'visit' ? t('myReviews.visit') : t('myReviews.caseRecord'),
        ' · ',
        t('myReviews.by', {
          name: review.reviewer?.display_name || '—',
          when: fmtWhen(review.reviewed_at),
        }),
      ),
      h('blockquote', { class: 'my-review-comment' }, review.comment),
      h(
        'div',
        { class: 'row' },
        correctable
          ? h(
              'a',
              {
                class: 'btn',
                href: `#/amend/${review.record_id}`,
                'aria-label': `${t('myReviews.correct')}: ${what}`,
              },
              t('myReviews.correct'),
            )
          : null,
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            'aria-label': `${t('myReviews.reply')}: ${what}`,
            onclick: () => {
              form.hidden = false;
              text.focus();
            },
          },
          t('myReviews.reply'),
        ),
      ),
      form,
    );
  }

  async function sendReply(e, review, text, err) {
    e.preventDefault();
    if (!text.value.trim()) {
      err.textContent = `⚠ ${t('myReviews.needText')}`;
      return text.focus();
    }
    await reviews.addReply(review, text.value);
    await status.refresh();
    await draw();
    app.toast(t('myReviews.replied'));
    syncing.afterSave();
  }

  function fix(item) {
    if (item.type === 'amendment') return app.go(`amend/${item.payload.visit_id}/${item.id}`);
    draft.startFix(item);
    app.go('visit');
  }

  async function asNew(item) {
    await outbox.resendAsNew(item.id);
    await status.refresh();
    await draw();
    syncing.sync();
  }

  async function discard(item) {
    if (!confirm(t('records.discardConfirm', { what: shortLabel(item) }))) return;
    await outbox.discard(item.id);
    await roster.recount();
    await status.refresh();
    await draw();
  }
  const shortLabel = (i) =>
    i.type === 'visit'
      ? roster.resident(i.payload.resident_id)?.name || ''
      : i.type === 'amendment'
        ? t('records.amendment')
        : taskLabel(i);

  draw();
  return { el, title: t('records.title'), refresh: draw };
}

/** A task raised here, a change to one, a case opened here or a step of one, as Records names it. */
function taskLabel(item) {
  if (item.type === 'task') return t('records.task', { title: item.payload.title });
  if (item.type === 'review_reply')
    return t('myReviews.outboxItem', {
      name: item.resident_name || roster.resident(item.resident_id)?.name || '',
    });
  if (item.type === 'case')
    return t('myCases.records.case', {
      name: item.resident_name || roster.resident(item.resident_id)?.name || '',
    });
  if (item.type === 'case_record')
    return t('myCases.records.record', { kind: t(`myCases.kind.${item.payload.kind}`) });
  if (item.type === 'activity')
    return t('myActivities.records.activity', { title: item.payload.title });
  if (item.type === 'activity_photo') return t('myActivities.records.photo');
  return t('records.taskEvent', { kind: t(`myTasks.event.${item.payload.kind}`) });
}

/** A synced visit as it stands after its accepted amendments. */
export function effective(visit) {
  const v = structuredClone(visit.payload);
  for (const a of visit.amendments || []) Object.assign(v, structuredClone(a.changes));
  return v;
}

/** Correct a synced visit: changed fields and a required reason go out as an amendment. */
export function amendView(app, [visitId, fixId]) {
  const el = h('section', { class: 'view amend' }, h('h1', null, t('amend.title')));
  (async () => {
    const visit = await outbox.syncedVisit(visitId);
    const fixing = fixId ? await outbox.get(fixId) : null;
    if (!visit) {
      el.append(
        h('p', { class: 'note' }, t('amend.gone')),
        h('a', { class: 'btn', href: '#/records' }, t('nav.records')),
      );
      return;
    }
    const review = fixing ? null : await reviews.reviewOfVisit(visit.id);
    const cur = effective(visit);
    const next = structuredClone(cur);
    if (fixing) Object.assign(next, structuredClone(fixing.payload.changes));
    const errs = fieldErrors(fixing?.errors, fixing?.codes);
    const resident = roster.resident(visit.resident_id);
    const obs = (key) =>
      choice(
        `am-${key}`,
        t(`visit.obs.${key}`),
        [
          ['ok', `✓ ${t('visit.ok')}`],
          ['concern', `⚠ ${t('visit.concern')}`],
        ],
        next.observations[key],
        (v) => (next.observations[key] = v),
        { cls: 'pair' },
      );
    const notes = h('textarea', {
      rows: 3,
      maxlength: 2000,
      value: next.observations.notes,
      oninput: (e) => (next.observations.notes = e.target.value),
    });
    const service = h('textarea', {
      rows: 3,
      maxlength: 2000,
      value: next.service_given,
      oninput: (e) => (next.service_given = e.target.value),
    });
    const feedback = h('textarea', {
      rows: 2,
      maxlength: 2000,
      value: next.feedback,
      oninput: (e) => (next.feedback = e.target.value),
    });
    const follow = h('input', {
      type: 'checkbox',
      checked: next.follow_up,
      onchange: (e) => (next.follow_up = e.target.checked),
    });
    const reason = h('textarea', {
      rows: 2,
      maxlength: 2000,
      'aria-required': 'true',
      value: fixing?.payload.reason || '',
    });
    const err = h('p', { class: 'error', role: 'alert' });

    async function save(e) {
      e.preventDefault();
      err.textContent = '';
      const changes = {};
      for (const k of ['observations', 'service_given', 'follow_up', 'feedback']) {
        if (JSON.stringify(next[k]) !== JSON.stringify(cur[k])) changes[k] = next[k];
      }
      if (!Object.keys(changes).length) return (err.textContent = `⚠ ${t('amend.nothing')}`);
      if (!reason.value.trim()) {
        err.textContent = `⚠ ${t('amend.needReason')}`;
        return reason.focus();
      }
      const amendment = {
        id: fixing?.id || uuid(),
        visit_id: visit.id,
        changes,
        reason: reason.value.trim(),
      };
      if (fixing) await outbox.replacePayload(fixing.id, amendment);
      // Correcting a returned visit answers its review: both queued in one transaction.
      else if (review) await reviews.addAmendmentWithReply(amendment, review);
      else await outbox.addAmendment(amendment);
      await status.refresh();
      app.go('records');
      app.toast(t('amend.saved'));
      syncing.afterSave();
    }

    append(
      el,
      h('p', { class: 'sub' }, `${resident?.name || '—'} · ${fmtWhen(cur.checked_in_at)}`),
      review
        ? h(
            'div',
            { class: 'my-review-banner', role: 'note' },
            h('p', null, t('myReviews.returnedBy', { name: review.reviewer?.display_name || '—' })),
            h('blockquote', { class: 'my-review-comment' }, review.comment),
            h('p', { class: 'hint' }, t('myReviews.amendAnswers')),
          )
        : null,
      errs.summary || [],
      h('details', null, h('summary', null, t('amend.asSent')), visitSummary(cur, resident)),
      h(
        'form',
        { onsubmit: save },
        h(
          'fieldset',
          { class: 'obs' },
          h('legend', null, t('visit.observations')),
          obs('living'),
          obs('emotional'),
          obs('physical'),
          field(t('visit.notes'), notes, { error: errs.for('changes.observations') }),
        ),
        field(t('visit.service'), service, { error: errs.for('changes.service_given') }),
        h(
          'div',
          { class: 'check' },
          h('label', null, follow, h('span', null, t('visit.followUp'))),
        ),
        field(t('rate.comment'), feedback, { error: errs.for('changes.feedback') }),
        field(t('amend.reason'), reason, {
          hint: t('amend.reasonHint'),
          error: errs.for('reason'),
        }),
        err,
        h(
          'div',
          { class: 'row actions' },
          h('button', { type: 'submit', class: 'btn big' }, t('amend.save')),
          h('a', { class: 'btn secondary', href: '#/records' }, t('common.cancel')),
        ),
      ),
    );
  })();
  return { el, title: t('amend.title') };
}

/** ⏳ drawn, not typed: phones without an emoji font show an empty box for the character. */
function hourglass() {
  return svg(
    'svg',
    { viewBox: '0 0 16 16', class: 'inline-icon', 'aria-hidden': 'true', focusable: 'false' },
    svg('path', {
      d: 'M3 1h10v2c0 2-2 3.5-3.5 5C11 9.5 13 11 13 13v2H3v-2c0-2 2-3.5 3.5-5C5 6.5 3 5 3 3z',
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 1.5,
    }),
    svg('path', { d: 'M5.5 13.5h5L8 11z', fill: 'currentColor' }),
  );
}
