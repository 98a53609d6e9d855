// Coverage board (the supervisor's landing page): this week by unit, and who needs a round,
// missed and at risk first. The server filters, sorts and pages the residents; the unit counts
// always cover the whole week. History: units x 12 weeks of the share met, with a trend line.
import { h, svg, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import {
  client,
  screen,
  table,
  pager,
  unitSelect,
  statusTag,
  fmtDateTime,
  fillUnitFilter,
  filterSet,
} from '../ui.js';
import { boardQuery, pct, shareOf, band, trendRuns, STATUSES, BOARD_SORTS } from '../logic.js';
import { shiftWeek, weekRange } from '../../lib/dates.js';
import { chartFigure } from '../chart.js';
import { coverageChart, coverageWeeks, latestShares, shortWeek } from '../chart-data.js';
import { officeRulesStrip } from '../office-rules.js';
import { gapCell, periodText, rulePickers, ruleQuery, showPickers } from '../board-rules.js';
import { fillOfficeFilter, officeFromHash, unitsOfOffice } from '../offices.js';

/** The board's filters, kept while the app stays open (back from a resident, the same list). */
let boardFilters = null;

export function boardView(app) {
  const api = client();
  const filters = (boardFilters ||= {
    week: null,
    kind: 'week', // or a year's rules, or every N days (board-rules.js)
    year: null,
    office: '',
    unit: '',
    status: '',
    sort: 'priority',
    page: 1,
  });
  const linked = officeFromHash(); // a roll-up's link to one office's board
  if (linked && linked !== filters.office) Object.assign(filters, { office: linked, unit: '' });
  const officeBox = h('div');
  const weekLabel = h('span', { class: 'week-label', role: 'status' });
  const units = [];
  const unitBox = h('div');
  const { refilter } = filterSet(filters, () => view.reload());
  const statusSel = h(
    'select',
    { onchange: (e) => refilter({ status: e.target.value }) },
    h('option', { value: '' }, t('coverage.allStatuses')),
    h('option', { value: 'attention' }, t('coverage.needing')),
    STATUSES.map((k) => h('option', { value: k }, t(`coverage.status.${k}`))),
  );
  statusSel.value = filters.status;
  const sortSel = h(
    'select',
    { onchange: (e) => refilter({ sort: e.target.value }) },
    BOARD_SORTS.map((k) => h('option', { value: k }, t(`coverage.sort.${k}`))),
  );
  sortSel.value = filters.sort || 'priority';
  const rules = rulePickers(filters, (change) => refilter(change));
  const controls = h(
    'div',
    { class: 'filters' },
    h(
      'div',
      { class: 'row week-picker' },
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => moveWeek(-1) },
        '‹ ',
        t('coverage.prevWeek'),
      ),
      weekLabel,
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => moveWeek(1) },
        t('coverage.nextWeek'),
        ' ›',
      ),
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => refilter({ week: null }) },
        t('coverage.thisWeek'),
      ),
    ),
    rules.years,
    h(
      'div',
      { class: 'row' },
      rules.kindField,
      officeBox,
      unitBox,
      field(t('coverage.status'), statusSel),
      field(t('office.sort'), sortSel),
    ),
  );
  const view = screen(app, t('coverage.title'), { controls });
  let period = null;

  function moveWeek(n) {
    if (!period) return;
    refilter({ week: shiftWeek(filters.week || period, n) });
  }

  function drawUnits() {
    unitBox.replaceChildren(
      field(
        t('office.unit'),
        unitSelect(unitsOfOffice(units, filters.office), filters.unit, (v) =>
          refilter({ unit: v }),
        ),
      ),
    );
  }

  function draw(data) {
    period = data.period;
    const names = new Map(units.map((u) => [u.id, u.name]));
    const range = weekRange(data.period);
    showPickers(filters, controls.querySelector('.week-picker'), rules.years);
    weekLabel.textContent =
      periodText(data.period) ||
      (range
        ? t('coverage.weekOf', { week: data.period, from: range.from, to: range.to })
        : data.period);
    const rows = data.residents;
    const title = t('coverage.residentsTitle', { n: data.total });
    view.body.replaceChildren(
      data.evaluated_at
        ? h(
            'p',
            { class: 'note' },
            t('coverage.evaluated', { when: fmtDateTime(data.evaluated_at) }),
          )
        : h('p', { class: 'note' }, t('coverage.notEvaluated')),
      officeRulesStrip(api, data.period, filters.unit),
      table(
        t('coverage.byUnit'),
        [
          { label: t('office.unit'), cell: (u) => names.get(u.unit_id) || u.unit_id },
          {
            label: t('coverage.shareMet'),
            num: true,
            cell: (u) => shareCell(shareOf(u.met, u.residents)),
          },
          { label: t('coverage.residents'), num: true, cell: (u) => String(u.residents) },
          ...STATUSES.map((k) => ({
            label: t(`coverage.status.${k}`),
            num: true,
            cell: (u) => String(u[k]),
          })),
        ],
        data.units,
      ),
      rows.length
        ? table(
            title,
            [
              {
                label: t('office.resident'),
                cell: (r) => h('a', { href: `#/resident/${r.resident_id}` }, r.name),
              },
              { label: t('coverage.status'), cell: (r) => statusTag(r.status) },
              {
                label: t('coverage.days'),
                num: true,
                cell: (r) =>
                  gapCell(r) ||
                  t('coverage.daysOf', { days: r.days_visited, required: r.required }),
              },
              {
                label: t('coverage.lastVisit'),
                cell: (r) =>
                  r.last_visit_at ? fmtDateTime(r.last_visit_at) : t('coverage.noVisit'),
              },
              {
                label: t('coverage.lastVisitBy'),
                cell: (r) =>
                  r.last_visit_by ? r.last_visit_by.display_name || r.last_visit_by.username : '—',
              },
              { label: t('office.unit'), cell: (r) => names.get(r.unit_id) || '—' },
            ],
            rows,
            { rowClass: (r) => `st-row-${r.status}` },
          )
        : h('p', { class: 'note' }, t('coverage.none')),
      pager(
        data,
        (p) => {
          filters.page = p;
          view.reload();
        },
        title,
      ),
    );
  }

  view.start(async (fresh) => {
    const [unitRows, coverage] = await fresh(
      Promise.all([
        units.length ? units : api.get('/api/v1/units'),
        api.get('/api/v1/coverage', {
          ...ruleQuery(filters, boardQuery(filters)),
          office_id: filters.office,
        }),
        fillOfficeFilter({
          fresh,
          box: officeBox,
          filters,
          onchange: (v) => refilter({ office: v, unit: '' }),
        }),
      ]),
    );
    if (!units.length) units.push(...unitRows);
    drawUnits();
    draw(coverage);
  });
  return { el: view.el, title: t('coverage.title'), destroy: view.destroy };
}

function shareCell(share) {
  return h('span', { class: `share b-${band(share)}` }, pct(share));
}

export function historyView(app) {
  const api = client();
  const filters = { unit: '' };
  const units = [];
  const unitBox = h('div', { class: 'row' });
  const view = screen(app, t('history.title'), { intro: t('history.intro'), controls: unitBox });
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const history = await fresh(
      api.get('/api/v1/coverage/history', {
        weeks: 12,
        unit_id: filters.unit,
        ...(filters.office ? { office_id: filters.office } : {}),
      }),
    );
    view.body.replaceChildren(...historyBody(history));
  });
  return { el: view.el, title: t('history.title'), destroy: view.destroy };
}

/** The chart of the shares (when there is any) above the table; weeks with no share at all left out. */
function historyBody(history) {
  const weeks = coverageWeeks(history);
  const chart = coverageChart(history);
  const latest = latestShares(history);
  const cell = (u, week) =>
    u.weeks.find((w) => w.period === week) || { period: week, share_met: null };
  const tableEl = h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-label': t('history.title'), tabindex: '0' },
    h(
      'table',
      { class: 'data history' },
      h('caption', null, t('history.caption')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('office.unit')),
          weeks.map((w) => h('th', { scope: 'col', class: 'num' }, shortWeek(w))),
          h('th', { scope: 'col' }, t('history.trend')),
        ),
      ),
      h(
        'tbody',
        null,
        history.units.map((u) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, u.name),
            weeks.map((week) => {
              const w = cell(u, week);
              return h(
                'td',
                {
                  class: `num cell b-${band(w.share_met)}`,
                  title: t('history.cellTitle', {
                    week: w.period,
                    met: w.met ?? 0,
                    n: w.residents ?? 0,
                  }),
                },
                pct(w.share_met),
              );
            }),
            h('td', null, trend(u)),
          ),
        ),
      ),
    ),
  );
  if (!weeks.length) return [tableEl, h('p', { class: 'note' }, t('history.noData'))];
  const figure = chartFigure({
    caption: t('history.chartCaption', { table: t('history.caption') }),
    summary: t('history.chartSummary', {
      week: shortWeek(latest[0]?.week || ''),
      shares: latest.map((l) => `${l.name} ${pct(l.share)}`).join(t('office.listSep')),
    }),
    labels: chart.labels,
    xLabel: shortWeek,
    series: chart.series,
    target: { label: t('history.chartTarget', { target: '80%' }), value: 80 },
    kind: 'line',
    yMax: 100,
    yLabel: (v) => `${v}%`,
  });
  return [
    h('div', { class: 'chart-pair chart-wide' }, figure, tableEl),
    h('p', { class: 'note legend' }, t('history.legend')),
  ];
}

function trend(unit) {
  const values = unit.weeks.map((w) => w.share_met);
  const known = values.filter((v) => v !== null);
  const label = known.length
    ? t('history.trendLabel', {
        name: unit.name,
        from: pct(known[0]),
        to: pct(known[known.length - 1]),
      })
    : t('history.noData');
  const el = svg(
    'svg',
    { viewBox: '0 0 120 32', class: 'trend', role: 'img', 'aria-label': label },
    svg('line', { x1: 0, x2: 120, y1: 3 + 0.2 * 26, y2: 3 + 0.2 * 26, class: 'trend-target' }),
  );
  for (const pts of trendRuns(values)) {
    el.append(
      pts.includes(' ')
        ? svg('polyline', { points: pts, class: 'trend-line' })
        : svg('circle', { cx: pts.split(',')[0], cy: pts.split(',')[1], r: 2, class: 'trend-dot' }),
    );
  }
  return el;
}
