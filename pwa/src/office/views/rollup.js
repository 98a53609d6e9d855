// The roll-up: one organisation's children (the city's districts, a district's offices, an
// office's units) side by side over a period, with the organisation's totals last. A district
// or an office row opens its own roll-up; an office row also links to its coverage board and
// satisfaction report. An inspector's home screen.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, table, problemLine, download } from '../ui.js';
import { pct } from '../logic.js';
import { officeLinks, rowHref, tableRows, trailSteps } from '../rollup-logic.js';

// The period picked stays while one drills down and back ('' : the server's default, this
// year to today).
const period = { from: '', to: '' };

function dateInput(key, onchange) {
  return h('input', {
    type: 'date',
    value: period[key],
    class: `rollup-${key}`,
    onchange: (e) => {
      period[key] = e.target.value;
      onchange();
    },
  });
}

/** The bureaus above, those one reaches as links, then the organisation itself. */
function trail(answer) {
  const parts = [];
  trailSteps(answer).forEach((step, i) => {
    if (i) parts.push(h('span', { 'aria-hidden': 'true' }, ' › '));
    if (step.current) parts.push(h('strong', { 'aria-current': 'page' }, step.name));
    else if (step.href) parts.push(h('a', { href: step.href }, step.name));
    else parts.push(h('span', null, step.name));
  });
  return h('nav', { class: 'rollup-trail', 'aria-label': t('rollup.trail') }, parts);
}

/** The row's name: for a district or an office, the way down to its own roll-up. */
function nameCell(row) {
  if (row.total) return t('rollup.total', { name: row.name });
  const href = rowHref(row);
  return href ? h('a', { href, class: 'rollup-open' }, row.name) : row.name;
}

/** An office's row links to its board and satisfaction report, filtered to the office. */
function linksCell(row) {
  if (row.total || row.kind !== 'office') return '';
  const links = officeLinks(row.id);
  return h(
    'span',
    { class: 'rollup-links' },
    h('a', { href: links.board }, t('rollup.board')),
    ' · ',
    h('a', { href: links.satisfaction }, t('rollup.satisfaction')),
  );
}

const num = (value) => String(value ?? 0);

function columns(level) {
  return [
    { label: t(`rollup.level.${level}`), cell: nameCell },
    { label: t('rollup.col.residents'), num: true, cell: (r) => num(r.residents) },
    {
      label: t('rollup.col.coverage'),
      num: true,
      cell: (r) =>
        `${pct(r.coverage.share_met)} (${t('rollup.ofJudged', { met: r.coverage.met, judged: r.coverage.judged })})`,
    },
    {
      label: t('rollup.col.satisfaction'),
      num: true,
      cell: (r) =>
        `${pct(r.satisfaction.satisfied_share)} (${t('rollup.rated', { n: r.satisfaction.rated })})`,
    },
    { label: t('rollup.col.visits'), num: true, cell: (r) => num(r.activity.visits) },
    { label: t('rollup.col.days'), num: true, cell: (r) => num(r.activity.visited_days) },
    { label: t('rollup.col.workers'), num: true, cell: (r) => num(r.activity.workers) },
    { label: t('rollup.col.tasksOpen'), num: true, cell: (r) => num(r.tasks.open) },
    { label: t('rollup.col.tasksOverdue'), num: true, cell: (r) => num(r.tasks.overdue) },
    { label: t('rollup.col.tasksClosed'), num: true, cell: (r) => num(r.tasks.closed) },
    {
      label: t('rollup.col.casesOpen'),
      num: true,
      cell: (r) =>
        h(
          'span',
          {
            title: ['intake', 'assessment', 'intervention', 'closing']
              .map((stage) => `${t(`cases.stage.${stage}`)} ${r.cases.by_stage[stage]}`)
              .join(t('rollup.listSep')),
          },
          num(r.cases.open),
        ),
    },
    { label: t('rollup.col.casesClosed'), num: true, cell: (r) => num(r.cases.closed) },
    { label: t('rollup.col.more'), cell: linksCell },
  ];
}

export function rollupView(app, params = []) {
  const api = client();
  const organisationId = params[0] || '';
  const problem = problemLine();
  const query = () => ({ organisation_id: organisationId, from: period.from, to: period.to });
  const view = screen(app, t('rollup.title'), {
    intro: t('rollup.intro'),
    controls: h(
      'div',
      { class: 'row filters range' },
      field(
        t('office.from'),
        dateInput('from', () => view.reload()),
      ),
      field(
        t('office.to'),
        dateInput('to', () => view.reload()),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'btn',
          onclick: () =>
            download(api, '/api/v1/exports/rollup.csv', query(), 'rounds-rollup.csv', problem),
        },
        t('rollup.csv'),
      ),
      problem.el,
    ),
  });
  view.start(async (fresh) => {
    const answer = await fresh(api.get('/api/v1/rollup', query()));
    view.body.replaceChildren(
      trail(answer),
      h(
        'p',
        { class: 'note rollup-period', role: 'status' },
        t('rollup.period', {
          from: answer.from,
          to: answer.to,
          periods: answer.periods_judged.length,
        }),
      ),
      answer.rows.length
        ? table(
            t('rollup.caption', { name: answer.organisation.name }),
            columns(answer.level),
            tableRows(answer),
            { rowClass: (r) => (r.total ? 'rollup-total' : 'rollup-row') },
          )
        : h('p', { class: 'note' }, t('rollup.empty')),
    );
  });
  return view;
}
