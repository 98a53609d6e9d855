// The phone's figures for the coverage rules that are not weekly: N visits a year ("6 a year,
// 2 so far") and a visit every N days ("every 10 days, due in 3"), from the server's count
// and the visits this phone made that the server has not counted yet (docs/coverage.md).
import { addDays, dayKey } from '../lib/dates.js';

const DAY_MS = 86400000;
const daysFrom = (from, to) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The last days of a gap that are at risk: one, or two for a gap of a week or more. */
export const warningDays = (every) => (every >= 7 ? 2 : 1);

/**
 * Figures for a resident whose rule is a month's, a year's or every N days; null for a week's
 * (the roster's own weekFigures counts those). `local` is the phone's index entry
 * ({days, all: Sets of 'YYYY-MM-DD', this week's and every one held; last: Date}).
 */
export function ruleFigures(resident, local, now = new Date()) {
  const cov = resident.coverage || {};
  const serverLast = cov.last_visit_at ? new Date(cov.last_visit_at) : null;
  const serverLastDay = serverLast ? dayKey(serverLast) : null;
  let last = serverLast;
  if (local?.last && (!last || local.last > last)) last = local.last;
  if (/^\d{4}-\d{2}$/.test(cov.week || '')) {
    // N a month: the server's count for this month, and this phone's days of it not counted.
    const month = dayKey(now).slice(0, 7);
    let days = cov.week === month ? cov.days_visited || 0 : 0;
    const counted = serverLastDay?.startsWith(month) ? serverLastDay : null;
    for (const d of local?.all || local?.days || []) {
      if (d.startsWith(month) && (!counted || d > counted)) days++;
    }
    const required = cov.required ?? 0;
    return { kind: 'month', days, required, last, needs: days < required };
  }
  if (/^\d{4}$/.test(cov.week || '')) {
    const year = cov.week;
    let days = String(now.getFullYear()) === year ? cov.days_visited || 0 : 0;
    for (const d of local?.all || local?.days || []) {
      if (d.startsWith(year) && (!serverLastDay || d > serverLastDay)) days++;
    }
    const required = cov.required ?? 0;
    return { kind: 'year', days, required, last, needs: days < required };
  }
  if (cov.week === 'days' && cov.every_days) {
    const every = cov.every_days;
    const lastDay = last ? dayKey(last) : null;
    // A visit the server has not counted yet starts a new gap on this phone.
    const dueBy =
      lastDay && (!serverLastDay || lastDay > serverLastDay)
        ? addDays(lastDay, every)
        : cov.due_by || (lastDay ? addDays(lastDay, every) : dayKey(now));
    const dueIn = daysFrom(dayKey(now), dueBy);
    const visited = lastDay === dayKey(now) ? 1 : 0;
    return {
      kind: 'days',
      every,
      dueIn,
      days: visited,
      required: 1,
      last,
      needs: dueIn < warningDays(every),
    };
  }
  return null;
}

/** The roster's line for these figures, or null for a weekly or monthly rule. */
export function ruleText(figures, t) {
  if (!figures?.kind) return null;
  if (figures.kind === 'year') {
    return t('coverageRules.phoneYear', { required: figures.required, days: figures.days });
  }
  if (figures.kind === 'month') {
    return t('coverageRules.phoneMonth', { required: figures.required, days: figures.days });
  }
  if (figures.dueIn < 0) {
    return t('coverageRules.phoneOverdue', { every: figures.every, n: -figures.dueIn });
  }
  return figures.dueIn === 0
    ? t('coverageRules.phoneDueToday', { every: figures.every })
    : t('coverageRules.phoneDueIn', { every: figures.every, n: figures.dueIn });
}

/** The roster's status for these figures, when it is not the week's "done". */
export function ruleDone(figures, t) {
  if (figures?.kind === 'year') return t('coverageRules.doneYear');
  if (figures?.kind === 'month') return t('coverageRules.doneMonth');
  if (figures?.kind === 'days') return t('coverageRules.doneGap');
  return null;
}
