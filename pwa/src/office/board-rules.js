// The coverage board's other rules: residents on a yearly rule (a year at a time) and those to
// visit every N days (their gaps, with the days overdue). The board keeps its weekly view; this
// adds the picker, the query, the year's stepping and the gap's cell.
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { fmtDay } from './ui.js';

export const BOARD_KINDS = ['week', 'year', 'days'];

/** The board's query for the kind of rule the filters ask for. */
export function ruleQuery(filters, query) {
  if (filters.kind === 'year') return { ...query, week: '', year: filters.year || thisYear() };
  if (filters.kind === 'days') return { ...query, week: '', period: 'days' };
  return query;
}

const thisYear = (now = new Date()) => String(now.getFullYear());

/** The picker of the kind of rule, and the year's own previous / next / this year. */
export function rulePickers(filters, refilter) {
  const kind = h(
    'select',
    { onchange: (e) => refilter({ kind: e.target.value, year: null, week: null }) },
    BOARD_KINDS.map((k) => h('option', { value: k }, t(`coverageRules.kind.${k}`))),
  );
  kind.value = filters.kind || 'week';
  const step = (n) => refilter({ year: String(Number(filters.year || thisYear()) + n) });
  const years = h(
    'div',
    { class: 'row cover-year-picker' },
    h(
      'button',
      { type: 'button', class: 'btn secondary small', onclick: () => step(-1) },
      '‹ ',
      t('coverageRules.prevYear'),
    ),
    h(
      'button',
      { type: 'button', class: 'btn secondary small', onclick: () => step(1) },
      t('coverageRules.nextYear'),
      ' ›',
    ),
    h(
      'button',
      { type: 'button', class: 'btn secondary small', onclick: () => refilter({ year: null }) },
      t('coverageRules.thisYear'),
    ),
  );
  return { kindField: field(t('coverageRules.kind'), kind), years };
}

/** Show the week's or the year's buttons, as the kind of rule asks (the label stays). */
export function showPickers(filters, weekPicker, years) {
  const weekly = (filters.kind || 'week') === 'week';
  for (const button of weekPicker.querySelectorAll('button')) button.hidden = !weekly;
  years.hidden = filters.kind !== 'year';
}

/** The label of a year's or the gaps' board; null for a week's. */
export function periodText(period) {
  if (/^\d{4}$/.test(period)) return t('coverageRules.yearOf', { year: period });
  if (period === 'days') return t('coverageRules.gaps');
  return null;
}

/** A gap's cell: "every 10 days, due by …", and the days overdue; null off the gaps' board. */
export function gapCell(row) {
  if (row.every_days === undefined) return null;
  return h(
    'span',
    null,
    t('coverageRules.gapCell', { every: row.every_days, date: fmtDay(row.due_by) }),
    row.days_overdue
      ? h(
          'span',
          { class: 'cover-overdue' },
          ' · ',
          t('coverageRules.overdue', { n: row.days_overdue }),
        )
      : null,
  );
}
