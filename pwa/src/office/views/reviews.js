// Review of records at the office (docs/reviews.md): the queue of what waits for a supervisor
// (filters, approve in one click, return with a comment) and the report of how records get
// reviewed.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, table, pager, fillUnitFilter, fmtDateTime, fmtDay } from '../ui.js';
import { pct } from '../logic.js';
import { durationText } from '../task-parts.js';
import { today, addDays } from '../../lib/dates.js';
import { reviewBox } from '../review-parts.js';
import { STATES, queueQuery } from '../review-logic.js';

function dateInputs(filters, onchange) {
  const input = (key) =>
    h('input', {
      type: 'date',
      value: filters[key] || '',
      onchange: (e) => {
        filters[key] = e.target.value;
        if ('page' in filters) filters.page = 1;
        onchange();
      },
    });
  return [field(t('office.from'), input('from')), field(t('office.to'), input('to'))];
}

export function reviewQueueView(app) {
  const api = client();
  const filters = { page: 1, states: ['unreviewed', 'answered'], unit: '', record_kind: '' };
  const units = [];
  const unitBox = h('div');
  const counts = h('div', { class: 'review-counts' });
  const kind = h(
    'select',
    {
      onchange: (e) => {
        filters.record_kind = e.target.value;
        filters.page = 1;
        view.reload();
      },
    },
    h('option', { value: '' }, t('reviews.anyKind')),
    h('option', { value: 'visit' }, t('reviews.kind.visit')),
    h('option', { value: 'case_record' }, t('reviews.kind.case_record')),
  );
  const view = screen(app, t('reviews.title'), {
    intro: t('reviews.intro'),
    controls: h(
      'div',
      { class: 'row filters' },
      unitBox,
      field(t('reviews.kindLabel'), kind),
      dateInputs(filters, () => view.reload()),
    ),
  });

  function stateButtons(answer) {
    return h(
      'div',
      { class: 'row review-states', role: 'group', 'aria-label': t('reviews.statesLabel') },
      STATES.map((state) =>
        h(
          'button',
          {
            type: 'button',
            class: 'btn small secondary',
            'aria-pressed': String(filters.states.includes(state)),
            onclick: () => {
              const on = filters.states.includes(state);
              filters.states = on
                ? filters.states.filter((s) => s !== state)
                : [...filters.states, state];
              if (!filters.states.length) filters.states = [state];
              filters.page = 1;
              view.reload();
            },
          },
          t('reviews.countOf', {
            state: t(`reviews.state.${state}`),
            n: answer.counts?.[state] ?? 0,
          }),
        ),
      ),
    );
  }

  function itemCard(item) {
    const label = `${item.resident?.name || '—'} · ${fmtDateTime(item.record_at)}`;
    const link =
      item.record_kind === 'visit' ? `#/resident/${item.resident?.id}` : `#/cases/${item.case_id}`;
    return h(
      'li',
      { class: 'card review-item', 'data-record': item.record_id },
      h(
        'p',
        { class: 'card-title' },
        h('a', { href: link }, label),
        ' · ',
        t(`reviews.kind.${item.record_kind}`),
        ' · ',
        item.worker?.display_name || '—',
      ),
      item.what ? h('p', { class: 'review-what' }, item.what) : null,
      reviewBox(
        app,
        api,
        { kind: item.record_kind, id: item.record_id, authorId: item.worker?.id, label },
        item.review,
        () => view.reload(),
      ),
    );
  }

  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const answer = await fresh(
      api.get(
        '/api/v1/reviews/queue',
        queueQuery({ ...filters, unit_id: filters.unit, office_id: filters.office }),
      ),
    );
    counts.replaceChildren(stateButtons(answer));
    view.body.replaceChildren(
      counts,
      answer.items.length
        ? h('ul', { class: 'cards review-queue' }, answer.items.map(itemCard))
        : h('p', { class: 'note' }, t('reviews.none')),
      pager(answer, (page) => {
        filters.page = page;
        view.reload();
      }),
    );
  });
  return { el: view.el, title: t('reviews.title'), destroy: view.destroy };
}

const FIGURES = [
  ['made', (r) => r.made],
  ['reviewed', (r) => r.reviewed],
  ['reviewedShare', (r) => pct(r.reviewed_share)],
  ['median', (r) => durationText(r.median_hours)],
  ['p90', (r) => durationText(r.p90_hours)],
  ['returned', (r) => r.returned],
  ['returnedShare', (r) => pct(r.returned_share)],
];

export function reviewReportView(app) {
  const api = client();
  const filters = { from: addDays(today(), -29), to: today(), unit: '' };
  const units = [];
  const unitBox = h('div');
  const view = screen(app, t('reviews.report.title'), {
    intro: t('reviews.report.intro'),
    controls: h(
      'div',
      { class: 'row filters' },
      dateInputs(filters, () => view.reload()),
      unitBox,
    ),
  });
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const report = await fresh(
      api.get('/api/v1/reports/reviews', {
        from: filters.from,
        to: filters.to,
        unit_id: filters.unit,
        ...(filters.office ? { office_id: filters.office } : {}),
      }),
    );
    const total = report.total;
    const columns = [
      { label: t('office.worker'), cell: (r) => r.worker?.display_name || t('reviews.report.all') },
      ...FIGURES.map(([key, cell]) => ({
        label: t(`reviews.report.${key}`),
        cell,
        num: true,
      })),
    ];
    view.body.replaceChildren(
      h(
        'p',
        { class: 'banner review-report-summary', role: 'status' },
        total.made
          ? t('reviews.report.summary', {
              n: total.made,
              share: pct(total.reviewed_share),
              median: durationText(total.median_hours),
              from: fmtDay(report.from || filters.from),
              to: fmtDay(report.to || filters.to),
            })
          : t('reviews.report.nothing'),
      ),
      table(t('reviews.report.byWorker'), columns, [...report.workers, { ...total, worker: null }]),
    );
  });
  return { el: view.el, title: t('reviews.report.title'), destroy: view.destroy };
}
