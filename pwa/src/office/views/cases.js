// Case work for the office: the board of a unit's cases (counts by stage, reviews due, no
// contact lately, each worker's caseload, the list with its filters), and one case's page with
// every record in order, the contact and review the office records, the supervisor's sign-off
// that archives it, the printable case file, and an admin's export and purge past retention.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { rfc3339 } from '../../lib/dates.js';
import {
  client,
  screen,
  table,
  pager,
  problemLine,
  download,
  openPrintable,
  fmtDay,
  fillUnitFilter,
  filterSet,
} from '../ui.js';
import {
  CASE_STAGES,
  CASE_ATTENTION,
  CONTACT_MODES,
  GOAL_STATUSES,
  caseQuery,
  stageCounts,
  caseloadRows,
  recordsInOrder,
  officeActions,
  NO_CONTACT_DAYS,
  pastRetention,
  planInForce,
  isArchived,
} from '../case-logic.js';
import { stageTag, recordCard, caseNames } from '../case-parts.js';
import { recordWithReview } from '../review-parts.js';
import { session } from '../../state/index.js';

/** The board's filters, kept while the app stays open (back from a case, the same list). */
let caseFilters = null;

export function casesView(app, [id]) {
  return id ? caseView(app, id) : boardView(app);
}

const role = () => session.current()?.user?.role;

function boardView(app) {
  const api = client();
  const filters = (caseFilters ||= { unit: '', stage: '', worker: '', attention: '', page: 1 });
  const units = [];
  const unitBox = h('div');
  const { refilter, select } = filterSet(filters, () => view.reload());
  const workerSel = select('worker', h('option', { value: '' }, t('cases.anyWorker')));
  const controls = h(
    'div',
    { class: 'row filters' },
    unitBox,
    field(
      t('cases.filter.stage'),
      select('stage', [
        h('option', { value: '' }, t('cases.anyStage')),
        CASE_STAGES.map((s) => h('option', { value: s }, t(`cases.stage.${s}`))),
      ]),
    ),
    field(t('cases.filter.worker'), workerSel),
    field(
      t('cases.filter.attention'),
      select('attention', [
        h('option', { value: '' }, t('cases.anyAttention')),
        CASE_ATTENTION.map((a) =>
          h('option', { value: a }, t(`cases.attention.${a}`, { days: NO_CONTACT_DAYS })),
        ),
      ]),
    ),
  );
  const view = screen(app, t('cases.title'), { intro: t('cases.intro'), controls });
  const narrow = matchMedia('(max-width: 40rem)');
  const redraw = () => view.reload();
  narrow.addEventListener('change', redraw);
  const known = new Map(); // every worker seen with a caseload, for the worker filter

  function drawWorkers(counts) {
    for (const row of counts.caseload || [])
      if (row.worker?.id) known.set(row.worker.id, row.worker);
    const people = [...known.values()].sort((a, b) =>
      String(a.display_name).localeCompare(String(b.display_name)),
    );
    workerSel.replaceChildren(
      h('option', { value: '' }, t('cases.anyWorker')),
      people.map((p) => h('option', { value: p.id }, p.display_name)),
    );
    workerSel.value = filters.worker;
  }

  const stat = (label, aria, n, cls, change, pressed) =>
    h(
      'button',
      {
        type: 'button',
        class: `stat ${cls}`,
        'aria-label': aria,
        'aria-pressed': pressed ? 'true' : 'false',
        onclick: () => refilter(change),
      },
      h('span', { class: 'stat-n' }, String(n)),
      h('span', { class: 'stat-label' }, label),
    );

  function countsBox(counts) {
    return h(
      'div',
      null,
      h(
        'div',
        { class: 'stats cases-stages', role: 'group', 'aria-label': t('cases.byStage') },
        stageCounts(counts).map(({ stage, n }) =>
          stat(
            t(`cases.stage.${stage}`),
            t('cases.stageShow', { stage: t(`cases.stage.${stage}`), n }),
            n,
            stage === 'closing' && n ? 'case-stat-closing' : '',
            { stage: filters.stage === stage ? '' : stage, attention: '' },
            filters.stage === stage,
          ),
        ),
      ),
      h(
        'div',
        { class: 'stats cases-attention', role: 'group', 'aria-label': t('cases.attentionLabel') },
        CASE_ATTENTION.map((a) => {
          const n = counts[a] ?? 0;
          return stat(
            t(`cases.attention.${a}`, { days: NO_CONTACT_DAYS }),
            t(`cases.attention.${a}Show`, { n, days: NO_CONTACT_DAYS }),
            n,
            n ? 'bad' : '',
            { attention: filters.attention === a ? '' : a, stage: '' },
            filters.attention === a,
          );
        }),
      ),
    );
  }

  function caseload(counts) {
    const rows = caseloadRows(counts);
    if (!rows.length) return null;
    return table(
      t('cases.caseload'),
      [
        {
          label: t('cases.worker'),
          cell: (r) =>
            h(
              'button',
              {
                type: 'button',
                class: 'linkish',
                'aria-label': t('cases.showFor', { name: r.worker?.display_name || '—' }),
                onclick: () => refilter({ worker: r.worker?.id || '' }),
              },
              r.worker?.display_name || '—',
            ),
        },
        { label: t('cases.openCount'), num: true, cell: (r) => String(r.open ?? 0) },
      ],
      rows,
    );
  }

  /** Why a case needs a look: its review is due, or no contact lately (while it is worked). */
  const attentionTags = (x) => {
    const worked = x.stage !== 'closing' && x.stage !== 'archived';
    const days = x.days_since_contact;
    const tags = [
      x.review_due ? h('span', { class: 'tag case-due' }, '⚠ ', t('cases.reviewDue')) : null,
      worked && days !== null && days !== undefined
        ? h(
            'span',
            { class: (x.no_contact ?? days > NO_CONTACT_DAYS) ? 'case-quiet' : 'hint' },
            t('cases.sinceContact', { n: days }),
          )
        : null,
    ].filter(Boolean);
    return tags.flatMap((tag, i) => (i ? [' · ', tag] : [tag]));
  };

  function cards(title, items) {
    return h(
      'section',
      { 'aria-label': title },
      h('h2', { class: 'list-title' }, title),
      h(
        'ul',
        { class: 'cards cases-list' },
        items.map((x) =>
          h(
            'li',
            { class: `card${x.review_due ? ' case-late' : ''}` },
            h(
              'p',
              { class: 'card-title' },
              h('a', { href: `#/cases/${x.id}` }, x.resident_name || '—'),
            ),
            h('p', { class: 'tags' }, stageTag(x.stage), ' · ', t(`cases.source.${x.source}`)),
            h(
              'p',
              { class: 'hint' },
              `${x.worker?.display_name || '—'} · ${t('cases.openedOn', { date: fmtDay(x.opened_at) })}`,
            ),
            h(
              'p',
              { class: 'tags' },
              attentionTags(x).flatMap((n, i) => (i ? [' · ', n] : [n])),
            ),
          ),
        ),
      ),
    );
  }

  function list(answer) {
    const title = t('cases.listTitle', { n: answer.total });
    if (!answer.items.length) return h('p', { class: 'note' }, t('cases.noneFound'));
    if (narrow.matches) return cards(title, answer.items);
    return table(
      title,
      [
        {
          label: t('office.resident'),
          cell: (x) => h('a', { href: `#/cases/${x.id}` }, x.resident_name || '—'),
        },
        { label: t('cases.stageLabel'), cell: (x) => stageTag(x.stage) },
        { label: t('cases.worker'), cell: (x) => x.worker?.display_name || '—' },
        { label: t('cases.sourceLabel'), cell: (x) => t(`cases.source.${x.source}`) },
        { label: t('cases.opened'), cell: (x) => fmtDay(x.opened_at) },
        { label: t('cases.nextReview'), cell: (x) => fmtDay(x.review_due_on) },
        { label: t('cases.attentionCol'), cell: (x) => h('span', null, attentionTags(x)) },
      ],
      answer.items,
      { rowClass: (x) => (x.review_due ? 'case-row-due' : null) },
    );
  }

  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const answer = await fresh(api.get('/api/v1/cases', caseQuery(filters)));
    const counts = answer.counts || {};
    drawWorkers(counts);
    view.body.replaceChildren(
      ...[
        countsBox(counts),
        caseload(counts),
        list(answer),
        pager(
          answer,
          (p) => {
            filters.page = p;
            view.reload();
          },
          t('cases.title'),
        ),
      ].filter(Boolean),
    );
  });
  return {
    el: view.el,
    title: t('cases.title'),
    destroy: () => {
      narrow.removeEventListener('change', redraw);
      view.destroy();
    },
  };
}

/** A record as the office sends it: its own id, made now. */
const newRecord = (kind, body) => ({
  id: crypto.randomUUID(),
  kind,
  at: rfc3339(new Date()),
  body,
  signature: null,
});

function caseView(app, id) {
  const api = client();
  const view = screen(app, t('cases.caseTitle'));
  const heading = view.el.querySelector('h1');
  const problem = view.problem;

  /**
   * A small form that sends one record; on success the page shows the answer's case. With a
   * summary it folds away (the office's optional steps); without, it stands open (the sign-off).
   */
  function recordForm({ summary, controls, button, cls = 'btn', record, klass }) {
    const msg = problemLine();
    const form = h(
      'form',
      {
        onsubmit: async (e) => {
          e.preventDefault();
          const made = record();
          if (typeof made === 'string') return msg.show(made);
          const submit = e.target.querySelector('button[type=submit]');
          submit.disabled = true;
          try {
            const answer = await api.send('POST', `/api/v1/cases/${id}/records`, made);
            app.toast(t(`cases.done.${made.kind}`));
            if (answer?.records) draw(answer);
            else view.reload();
          } catch (err) {
            msg.show(err);
            submit.disabled = false;
          }
        },
      },
      controls,
      h('button', { type: 'submit', class: cls }, button),
      msg.el,
    );
    if (!summary) return h('div', { class: klass || null }, form);
    return h('details', { class: `case-action ${klass || ''}` }, h('summary', null, summary), form);
  }

  function contactForm(c) {
    const mode = h(
      'select',
      null,
      CONTACT_MODES.filter((m) => m !== 'visit').map((m) =>
        h('option', { value: m }, t(`cases.mode.${m}`)),
      ),
    );
    mode.value = 'case_conference';
    const minutes = h('input', { type: 'number', min: 1, max: 600, inputmode: 'numeric' });
    const summary = h('textarea', { rows: 3, maxlength: 4000 });
    const goals = planInForce(c)?.body?.goals || [];
    const boxes = goals.map((g) => ({ g, box: h('input', { type: 'checkbox', value: g.id }) }));
    return recordForm({
      summary: t('cases.form.contact'),
      klass: 'case-contact-form',
      controls: [
        h(
          'div',
          { class: 'row' },
          field(t('cases.contact.mode'), mode),
          field(t('cases.contact.minutes'), minutes),
        ),
        boxes.length
          ? h(
              'fieldset',
              { class: 'case-goal-boxes' },
              h('legend', null, t('cases.contact.goals')),
              boxes.map(({ g, box }) => h('label', { class: 'check' }, box, ' ', g.text)),
            )
          : null,
        field(t('cases.summary'), summary),
      ],
      button: t('cases.form.contactSubmit'),
      record: () =>
        summary.value.trim()
          ? newRecord('contact', {
              mode: mode.value,
              visit_id: null,
              goal_ids: boxes.filter((b) => b.box.checked).map((b) => b.g.id),
              summary: summary.value.trim(),
              minutes: minutes.value ? Number(minutes.value) : null,
            })
          : t('cases.form.needSummary'),
    });
  }

  function reviewForm(c) {
    const goals = planInForce(c)?.body?.goals || [];
    const rows = goals.map((g) => {
      const status = h(
        'select',
        { 'aria-label': t('cases.form.statusOf', { goal: g.text }) },
        GOAL_STATUSES.map((s) => h('option', { value: s }, t(`cases.goalStatus.${s}`))),
      );
      status.value = 'in_progress';
      const note = h('input', {
        type: 'text',
        maxlength: 1000,
        'aria-label': t('cases.form.noteOf', { goal: g.text }),
      });
      return { g, status, note };
    });
    const summary = h('textarea', { rows: 3, maxlength: 4000 });
    return recordForm({
      summary: t('cases.form.review'),
      klass: 'case-review-form',
      controls: [
        h(
          'div',
          { class: 'case-review-goals' },
          rows.map(({ g, status, note }) =>
            h(
              'div',
              { class: 'case-review-goal' },
              h('p', { class: 'card-title' }, g.text),
              h('div', { class: 'row' }, status, note),
            ),
          ),
        ),
        field(t('cases.summary'), summary),
      ],
      button: t('cases.form.reviewSubmit'),
      record: () =>
        summary.value.trim()
          ? newRecord('review', {
              progress: rows.map(({ g, status, note }) => ({
                goal_id: g.id,
                status: status.value,
                note: note.value.trim(),
              })),
              summary: summary.value.trim(),
            })
          : t('cases.form.needSummary'),
    });
  }

  function signoffForm() {
    const note = h('textarea', { rows: 3, maxlength: 4000 });
    return h(
      'section',
      { class: 'case-signoff', 'aria-labelledby': 'case-signoff-h' },
      h('h2', { id: 'case-signoff-h' }, t('cases.signoff.title')),
      h('p', { class: 'note' }, t('cases.signoff.intro')),
      recordForm({
        klass: 'case-signoff-form',
        controls: field(t('cases.signoff.note'), note),
        button: t('cases.signoff.submit'),
        record: () =>
          note.value.trim()
            ? newRecord('signoff', { note: note.value.trim() })
            : t('cases.signoff.needNote'),
      }),
    );
  }

  function retentionBox(c) {
    if (role() !== 'admin' || !pastRetention(c)) return null;
    const msg = problemLine();
    return h(
      'section',
      { class: 'case-retention', 'aria-labelledby': 'case-retention-h' },
      h('h2', { id: 'case-retention-h' }, t('cases.retention.title')),
      h('p', { class: 'note' }, t('cases.retention.intro')),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => download(api, `/api/v1/cases/${id}/export`, {}, `case-${id}.json`, msg),
          },
          t('cases.retention.export'),
        ),
        c.purged_at
          ? h('p', { class: 'note' }, t('cases.retention.purgedOn', { date: fmtDay(c.purged_at) }))
          : h(
              'button',
              {
                type: 'button',
                class: 'btn danger',
                onclick: async () => {
                  if (!confirm(t('cases.retention.confirm', { name: c.resident_name || '—' })))
                    return;
                  try {
                    await api.send('POST', `/api/v1/cases/${id}/purge`);
                    app.toast(t('cases.retention.purged'));
                    view.reload();
                  } catch (err) {
                    msg.show(err);
                  }
                },
              },
              t('cases.retention.purge'),
            ),
      ),
      msg.el,
    );
  }

  function draw(c) {
    heading.textContent = t('cases.caseOf', { name: c.resident_name || '—' });
    const actions = officeActions(c, role());
    const records = recordsInOrder(c.records);
    const names = caseNames(c);
    // replaceChildren would write a null as the word "null": the parts left out are dropped.
    const parts = [
      h(
        'p',
        { class: 'row' },
        h('a', { class: 'btn secondary small', href: '#/cases' }, '‹ ', t('cases.back')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary small',
            onclick: () => openPrintable(api, `/api/v1/cases/${id}/file`, {}, problem),
          },
          t('cases.printFile'),
        ),
      ),
      isArchived(c)
        ? h(
            'p',
            { class: 'banner case-archived', role: 'status' },
            '✓ ',
            t('cases.archivedBanner', { date: fmtDay(c.archived_at) }),
          )
        : null,
      h(
        'dl',
        { class: 'summary-list case-summary' },
        h('dt', null, t('office.resident')),
        h('dd', null, h('a', { href: `#/resident/${c.resident_id}` }, c.resident_name || '—')),
        h('dt', null, t('cases.stageLabel')),
        h('dd', null, stageTag(c.stage)),
        h('dt', null, t('cases.sourceLabel')),
        h('dd', null, t(`cases.source.${c.source}`), c.source_note ? ` — ${c.source_note}` : ''),
        h('dt', null, t('cases.worker')),
        h('dd', null, c.worker?.display_name || names.get(c.worker_id) || '—'),
        h('dt', null, t('cases.opened')),
        h('dd', null, fmtDay(c.opened_at)),
        c.review_due_on ? h('dt', null, t('cases.nextReview')) : null,
        c.review_due_on ? h('dd', null, fmtDay(c.review_due_on)) : null,
        c.closed_at ? h('dt', null, t('cases.closedAt')) : null,
        c.closed_at ? h('dd', null, fmtDay(c.closed_at)) : null,
      ),
      actions.signoff ? signoffForm() : null,
      actions.contact || actions.review
        ? h(
            'section',
            { class: 'case-actions', 'aria-labelledby': 'case-actions-h' },
            h('h2', { id: 'case-actions-h' }, t('cases.record')),
            actions.contact ? contactForm(c) : null,
            actions.review ? reviewForm(c) : null,
          )
        : null,
      c.stage === 'intake' ? h('p', { class: 'note' }, t('cases.onThePhone')) : null,
      retentionBox(c),
      h('h2', null, t('cases.records', { n: records.length })),
      records.length
        ? h(
            'ol',
            { class: 'cards case-records' },
            records.map((r) =>
              recordWithReview(app, api, c, r, recordCard(api, c, r, names), view.reload),
            ),
          )
        : h('p', { class: 'note' }, t('cases.noRecords')),
    ];
    view.body.replaceChildren(...parts.filter(Boolean));
  }

  view.start(async (fresh) => draw(await fresh(api.get(`/api/v1/cases/${id}`))));
  return { el: view.el, title: t('cases.caseTitle'), destroy: view.destroy };
}
