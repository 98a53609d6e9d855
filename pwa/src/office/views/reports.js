// Exports (CSV, the printable register, label sheets), satisfaction against the target,
// worker activity with the phones' last sync, and how fast follow-up tasks are closed.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import {
  client,
  screen,
  table,
  pager,
  unitSelect,
  problemLine,
  download,
  openPrintable,
  fmtDateTime,
  fmtDay,
  fillUnitFilter,
} from '../ui.js';
import { officeFromHash } from '../offices.js';
import { session } from '../../state/index.js';
import { pct } from '../logic.js';
import { closeRows, onTimeChart } from '../task-logic.js';
import { durationText } from '../task-parts.js';
import { satisfactionSetting } from '../target-logic.js';
import { today, addDays } from '../../lib/dates.js';
import { visitRowCard } from './lists.js';
import { chartFigure } from '../chart.js';
import {
  satisfactionChart,
  ratedMonths,
  activityChart,
  activityDays,
  busiest,
} from '../chart-data.js';

function rangeInputs(filters, onchange) {
  const from = h('input', {
    type: 'date',
    value: filters.from,
    onchange: (e) => {
      filters.from = e.target.value;
      onchange?.();
    },
  });
  const to = h('input', {
    type: 'date',
    value: filters.to,
    onchange: (e) => {
      filters.to = e.target.value;
      onchange?.();
    },
  });
  return [field(t('office.from'), from), field(t('office.to'), to)];
}

export function exportsView(app) {
  const api = client();
  const filters = {
    from: addDays(today(), -29),
    to: today(),
    units: new Set(),
    period: 'week',
    layout: 'small',
    labelUnit: '',
  };
  const unitsBox = h('fieldset', { class: 'unit-checks' }, h('legend', null, t('exports.units')));
  const labelBox = h('div');
  const problem = problemLine();
  const periodSel = h(
    'select',
    { onchange: (e) => (filters.period = e.target.value) },
    h('option', { value: 'week' }, t('exports.week')),
    h('option', { value: 'month' }, t('exports.month')),
  );
  const layoutSel = h(
    'select',
    { onchange: (e) => (filters.layout = e.target.value) },
    h('option', { value: 'small' }, t('labels.small')),
    h('option', { value: 'large' }, t('labels.large')),
  );
  const params = () => ({ from: filters.from, to: filters.to, unit_id: [...filters.units] });
  const view = screen(app, t('exports.title'), { intro: t('exports.intro') });
  view.body.append(
    h('div', { class: 'row range' }, rangeInputs(filters)),
    unitsBox,
    h('h2', null, t('exports.csv')),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () =>
            download(api, '/api/v1/exports/visits.csv', params(), 'rounds-visits.csv', problem),
        },
        t('exports.visits'),
      ),
    ),
    h(
      'div',
      { class: 'row' },
      field(t('exports.period'), periodSel),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () =>
            download(
              api,
              '/api/v1/exports/coverage.csv',
              { ...params(), period: filters.period },
              'rounds-coverage.csv',
              problem,
            ),
        },
        t('exports.coverage'),
      ),
    ),
    h('h2', null, t('exports.register')),
    h('p', { class: 'note' }, t('exports.registerHint')),
    h(
      'button',
      {
        type: 'button',
        class: 'btn',
        onclick: () => openPrintable(api, '/api/v1/register', params(), problem),
      },
      t('exports.openRegister'),
    ),
    h('h2', null, t('labels.title')),
    h(
      'div',
      { class: 'row' },
      labelBox,
      field(t('labels.layout'), layoutSel),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () =>
            filters.labelUnit
              ? openPrintable(
                  api,
                  '/api/v1/labels',
                  { unit_id: filters.labelUnit, layout: filters.layout },
                  problem,
                )
              : problem.show(t('labels.pickUnit')),
        },
        t('labels.print'),
      ),
    ),
    problem.el,
  );
  view.start(async (fresh) => {
    if (unitsBox.childElementCount > 1) return;
    const units = await fresh(api.get('/api/v1/units'));
    unitsBox.append(
      h('p', { class: 'hint' }, t('exports.unitsHint')),
      h(
        'div',
        { class: 'checks' },
        units.map((u) =>
          h(
            'div',
            { class: 'check' },
            h(
              'label',
              null,
              h('input', {
                type: 'checkbox',
                value: u.id,
                onchange: (e) =>
                  e.target.checked ? filters.units.add(u.id) : filters.units.delete(u.id),
              }),
              h('span', null, u.name),
            ),
          ),
        ),
      ),
    );
    filters.labelUnit = units[0]?.id || '';
    labelBox.replaceChildren(
      field(
        t('labels.unit'),
        unitSelect(units, filters.labelUnit, (v) => (filters.labelUnit = v), { all: false }),
      ),
    );
  });
  return { el: view.el, title: t('exports.title'), destroy: view.destroy };
}

const scoreCols = (first) => [
  first,
  {
    label: t('satisfaction.share'),
    num: true,
    cell: (r) =>
      h(
        'span',
        {
          class: `share ${r.meets_target === null ? 'b-none' : r.meets_target ? 'b-high' : 'b-low'}`,
        },
        pct(r.satisfied_share),
        ' ',
        r.meets_target === null ? '' : r.meets_target ? '✓' : '⚠',
      ),
  },
  { label: t('satisfaction.rated'), num: true, cell: (r) => String(r.rated) },
  { label: t('satisfaction.satisfied'), num: true, cell: (r) => String(r.satisfied) },
  {
    label: t('satisfaction.basically_satisfied'),
    num: true,
    cell: (r) => String(r.basically_satisfied),
  },
  { label: t('satisfaction.unsatisfied'), num: true, cell: (r) => String(r.unsatisfied) },
];

const fmtMonth = (ym) =>
  new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
    year: 'numeric',
    month: 'short',
  }).format(new Date(`${ym}-15T12:00:00`));
const fmtShortDay = (iso) =>
  new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
    month: 'numeric',
    day: 'numeric',
  }).format(new Date(`${iso}T12:00:00`));
const fmtWeekday = (iso) =>
  new Intl.DateTimeFormat(document.documentElement.lang || 'en', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
  }).format(new Date(`${iso}T12:00:00`));

/** The share per month against the target the answer gives, beside the months that have ratings. */
function byMonth(scores) {
  const months = ratedMonths(scores);
  const tableEl = table(
    t('satisfaction.byMonth'),
    scoreCols({ label: t('satisfaction.month'), cell: (r) => fmtMonth(r.month) }),
    months,
  );
  if (!months.length) return tableEl;
  const chart = satisfactionChart(scores);
  const target = pct(scores.target.satisfaction_target);
  const figure = chartFigure({
    caption: t('satisfaction.chartCaption', { table: t('satisfaction.byMonth') }),
    summary: t('satisfaction.chartSummary', {
      months: months.length,
      meeting: months.filter((m) => m.meets_target).length,
      target,
    }),
    labels: chart.labels,
    xLabel: fmtMonth,
    series: [{ label: t('satisfaction.share'), values: chart.values }],
    target:
      chart.target === null
        ? null
        : { label: t('satisfaction.chartTarget', { target }), value: chart.target },
    kind: 'bars',
    yMax: 100,
    yLabel: (v) => `${v}%`,
  });
  return h('div', { class: 'chart-pair table-wide' }, figure, tableEl);
}

export function satisfactionView(app) {
  const api = client();
  const filters = { from: '', to: '', office: officeFromHash(), unit: '', page: 1, sort: 'name' };
  const units = [];
  const unitBox = h('div');
  const sortSel = h(
    'select',
    {
      onchange: (e) => {
        filters.sort = e.target.value;
        view.reload();
      },
    },
    ['name', 'share', '-share', '-rated'].map((v) =>
      h('option', { value: v }, t(`satisfaction.sort.${v}`)),
    ),
  );
  const view = screen(app, t('satisfaction.title'), {
    intro: t('satisfaction.intro'),
    controls: h(
      'div',
      { class: 'row filters' },
      rangeInputs(filters, () => view.reload()),
      unitBox,
      field(t('office.sort'), sortSel),
    ),
  });
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const range = {
      from: filters.from,
      to: filters.to,
      unit_id: filters.unit,
      ...(filters.office ? { office_id: filters.office } : {}),
    };
    const [scores, unsatisfied] = await fresh(
      Promise.all([
        api.get('/api/v1/reports/satisfaction', { ...range, sort: filters.sort }),
        api.get('/api/v1/reports/satisfaction/unsatisfied', {
          ...range,
          page: filters.page,
          per_page: 20,
        }),
      ]),
    );
    const total = scores.total;
    view.body.replaceChildren(
      h('p', { class: 'note targets-setting' }, satisfactionSetting(scores.target)),
      h(
        'p',
        { class: `banner ${total.meets_target === false ? 'warn' : ''}`, role: 'status' },
        total.meets_target === null
          ? t('satisfaction.nothing')
          : t(total.meets_target ? 'satisfaction.meets' : 'satisfaction.below', {
              share: pct(total.satisfied_share),
              target: pct(scores.target.satisfaction_target),
              rated: total.rated,
              from: scores.from,
              to: scores.to,
            }),
      ),
      table(
        t('satisfaction.byUnit'),
        scoreCols({ label: t('office.unit'), cell: (r) => r.unit.name }),
        scores.units,
      ),
      table(
        t('satisfaction.byWorker'),
        scoreCols({ label: t('office.worker'), cell: (r) => r.worker.display_name }),
        scores.workers,
      ),
      byMonth(scores),
      h('h2', null, t('satisfaction.unsatisfiedList', { n: unsatisfied.total })),
      unsatisfied.items.length
        ? h(
            'ul',
            { class: 'cards' },
            unsatisfied.items.map((v) => visitRowCard(api, v, () => view.reload())),
          )
        : h('p', { class: 'note' }, t('satisfaction.noUnsatisfied')),
      pager(
        unsatisfied,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('satisfaction.unsatisfiedList', { n: unsatisfied.total }),
      ),
    );
  });
  return { el: view.el, title: t('satisfaction.title'), destroy: view.destroy };
}

/** Visits per day per worker: the chart, and beside it the days on which someone visited. */
function perDay(activity) {
  const days = activityDays(activity);
  const names = activity.items.map((r) => r.worker.display_name || r.worker.username);
  const tableEl = table(
    t('activity.perDayCaption'),
    [
      { label: t('activity.day'), cell: (d) => fmtWeekday(d.day) },
      ...names.map((name, i) => ({ label: name, num: true, cell: (d) => String(d.counts[i]) })),
      { label: t('activity.total'), num: true, cell: (d) => String(d.total) },
    ],
    days,
  );
  if (!days.length) return h('p', { class: 'note' }, t('activity.noVisits'));
  const chart = activityChart(activity);
  const top = busiest(activity);
  const figure = chartFigure({
    caption: t('activity.chartCaption', { table: t('activity.perDayCaption') }),
    summary: t('activity.chartSummary', {
      days: days.length,
      of: activity.days.length,
      name: top ? top.worker.display_name : '—',
      n: top ? top.visits : 0,
    }),
    labels: chart.labels,
    xLabel: fmtShortDay,
    series: chart.series,
    kind: 'line',
    yLabel: (v) => String(v),
  });
  return h('div', { class: 'chart-pair table-wide' }, figure, tableEl);
}

export function activityView(app) {
  const api = client();
  const filters = { from: '', to: '', unit: '', page: 1, sort: 'name', dpage: 1, onlyStale: false };
  const units = [];
  const unitBox = h('div');
  const sortSel = h(
    'select',
    {
      onchange: (e) => {
        filters.sort = e.target.value;
        view.reload();
      },
    },
    ['name', '-visits', 'share_qr', '-burst'].map((v) =>
      h('option', { value: v }, t(`activity.sort.${v}`)),
    ),
  );
  const view = screen(app, t('activity.title'), {
    controls: h(
      'div',
      { class: 'row filters' },
      rangeInputs(filters, () => view.reload()),
      unitBox,
      field(t('office.sort'), sortSel),
    ),
  });
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const [activity, devices] = await fresh(
      Promise.all([
        api.get('/api/v1/reports/activity', {
          from: filters.from,
          to: filters.to,
          unit_id: filters.unit,
          ...(filters.office ? { office_id: filters.office } : {}),
          sort: filters.sort,
          page: filters.page,
          per_page: 50,
        }),
        api.get('/api/v1/reports/devices', {
          unit_id: filters.unit,
          ...(filters.office ? { office_id: filters.office } : {}),
          only_stale: filters.onlyStale ? 'true' : '',
          page: filters.dpage,
          per_page: 50,
        }),
      ]),
    );
    const problem = problemLine();
    view.body.replaceChildren(
      h('p', { class: 'note' }, t('activity.range', { from: activity.from, to: activity.to })),
      table(
        t('activity.workers'),
        [
          { label: t('office.worker'), cell: (r) => r.worker.display_name },
          { label: t('activity.visits'), num: true, cell: (r) => String(r.visits) },
          { label: t('activity.daysActive'), num: true, cell: (r) => String(r.days_active) },
          {
            label: t('activity.shareQr'),
            num: true,
            cell: (r) => `${pct(r.share_qr)} (${r.qr} / ${r.manual})`,
          },
          { label: t('activity.burst'), num: true, cell: (r) => (r.burst ? `⚠ ${r.burst}` : '0') },
          {
            label: t('activity.perWeek'),
            cell: (r) =>
              activity.weeks
                .map((w, i) => `${w.replace(/^\d{4}-/, '')}: ${r.per_week[i]}`)
                .join(' · '),
          },
        ],
        activity.items,
      ),
      perDay(activity),
      pager(
        activity,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('activity.workers'),
      ),
      h('h2', null, t('activity.devices', { n: devices.stale, days: devices.stale_days })),
      table(
        t('activity.devicesCaption'),
        [
          { label: t('office.worker'), cell: (r) => r.worker.display_name },
          {
            label: t('activity.device'),
            cell: (r) => `${r.name || '—'}${r.app_version ? ` (${r.app_version})` : ''}`,
          },
          {
            label: t('activity.lastSync'),
            cell: (r) =>
              r.last_sync_at
                ? `${fmtDateTime(r.last_sync_at)}${r.stale ? ` ⚠ ${t('activity.stale', { n: r.days_since_sync ?? '—' })}` : ''}`
                : `⚠ ${t('activity.never')}`,
          },
          {
            label: t('activity.state'),
            cell: (r) =>
              r.revoked_at
                ? t('activity.revokedOn', { when: fmtDay(r.revoked_at) })
                : r.active
                  ? t('activity.active')
                  : t('activity.expired'),
          },
          {
            label: t('activity.action'),
            cell: (r) =>
              r.active && !session.isInspector()
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn danger small',
                      'aria-label': t('activity.revokeFor', {
                        name: r.worker.display_name,
                        device: r.name || '',
                      }),
                      onclick: async () => {
                        if (
                          !confirm(
                            t('activity.revokeConfirm', {
                              name: r.worker.display_name,
                              device: r.name || '',
                            }),
                          )
                        )
                          return;
                        try {
                          await api.send('POST', `/api/v1/devices/${r.id}/revoke`);
                          app.toast(t('activity.revoked'));
                          view.reload();
                        } catch (err) {
                          problem.show(err);
                        }
                      },
                    },
                    t('activity.revoke'),
                  )
                : '—',
          },
        ],
        devices.items,
        { rowClass: (r) => (r.stale ? 'stale' : null) },
      ),
      problem.el,
      pager(
        devices,
        (p) => {
          filters.dpage = p;
          view.reload();
        },
        t('activity.devicesCaption'),
      ),
    );
  });
  return { el: view.el, title: t('activity.title'), destroy: view.destroy };
}

/** A time-to-close table's columns after its first: done, median, 90th percentile, on time,
 * cancelled (counted apart: a cancelled task was not done). */
const closeCols = (first) => [
  first,
  { label: t('taskReport.closed'), num: true, cell: (r) => String(r.closed) },
  { label: t('taskReport.median'), num: true, cell: (r) => durationText(r.median_hours) },
  { label: t('taskReport.p90'), num: true, cell: (r) => durationText(r.p90_hours) },
  {
    label: t('taskReport.onTime'),
    num: true,
    cell: (r) =>
      !r.closed || r.on_time === null
        ? pct(r.on_time_share)
        : `${pct(r.on_time_share)} (${r.on_time})`,
  },
  { label: t('taskReport.cancelled'), num: true, cell: (r) => String(r.cancelled) },
];

/** The share closed on time per unit: a bar chart beside its table, once two units closed some. */
function byUnitClose(rows) {
  const tableEl = table(
    t('taskReport.byUnit'),
    closeCols({ label: t('office.unit'), cell: (r) => r.name }),
    rows.units,
  );
  const chart = onTimeChart(rows);
  if (chart.labels.length < 2) return tableEl;
  const figure = chartFigure({
    caption: t('taskReport.chartCaption', { table: t('taskReport.byUnit') }),
    labels: chart.labels,
    xLabel: (name) => name,
    series: [{ label: t('taskReport.onTime'), values: chart.values }],
    kind: 'bars',
    yMax: 100,
    yLabel: (v) => `${v}%`,
  });
  return h('div', { class: 'chart-pair table-wide' }, figure, tableEl);
}

export function taskReportView(app) {
  const api = client();
  const filters = { from: addDays(today(), -29), to: today(), unit: '' };
  const units = [];
  const unitBox = h('div');
  const view = screen(app, t('taskReport.title'), {
    intro: t('taskReport.intro'),
    controls: h(
      'div',
      { class: 'row filters' },
      rangeInputs(filters, () => view.reload()),
      unitBox,
    ),
  });
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const report = await fresh(
      api.get('/api/v1/reports/tasks', {
        from: filters.from,
        to: filters.to,
        unit_id: filters.unit,
        ...(filters.office ? { office_id: filters.office } : {}),
      }),
    );
    const rows = closeRows(report);
    const total = rows.total;
    view.body.replaceChildren(
      h(
        'p',
        { class: 'banner', role: 'status' },
        total.closed
          ? t('taskReport.summary', {
              n: total.closed,
              median: durationText(total.median_hours),
              p90: durationText(total.p90_hours),
              share: pct(total.on_time_share),
              from: fmtDay(report.from || filters.from),
              to: fmtDay(report.to || filters.to),
            })
          : t('taskReport.nothing'),
      ),
      table(
        t('taskReport.byPriority'),
        closeCols({ label: t('tasks.priorityLabel'), cell: (r) => t(`tasks.priority.${r.key}`) }),
        rows.priorities,
      ),
      byUnitClose(rows),
    );
  });
  return { el: view.el, title: t('taskReport.title'), destroy: view.destroy };
}
