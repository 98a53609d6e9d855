import { describe, it, expect } from 'vitest';
import { weekFigures, localVisitIndex } from '../src/state/roster-figures.js';
import { ruleFigures, ruleText, ruleDone, warningDays } from '../src/state/rule-figures.js';
import { ruleQuery, periodText, gapCell } from '../src/office/board-rules.js';
import { ruleName } from '../src/office/coverage-rules.js';
import { t, setLang } from '../src/lib/i18n/index.js';
import { boardQuery, qs } from '../src/office/logic.js';

const now = new Date(2026, 9, 1, 10, 0); // Thursday 1 October 2026, local time
const at = (month, d, h = 9) => new Date(2026, month - 1, d, h, 0).toISOString();

describe('a yearly rule on the phone', () => {
  const yearly = {
    id: 'y',
    coverage: { week: '2026', required: 6, days_visited: 2, last_visit_at: at(2, 9) },
  };

  it('says how many a year and how many so far', () => {
    setLang('en');
    const figures = weekFigures(yearly, undefined, now);
    expect(figures).toMatchObject({ kind: 'year', days: 2, required: 6, needs: true });
    expect(ruleText(figures, t)).toBe('6 a year, 2 so far');
    setLang('zh-CN');
    expect(ruleText(figures, t)).toBe('每年 6 次，已 2 次');
  });

  it('adds the visits this phone made that the server has not counted', () => {
    const local = localVisitIndex([{ resident_id: 'y', checked_in_at: at(10, 1) }], now);
    expect(weekFigures(yearly, local.get('y'), now).days).toBe(3);
  });

  it('is done once the year has its visits', () => {
    setLang('en');
    const done = { coverage: { ...yearly.coverage, days_visited: 6 } };
    const figures = weekFigures(done, undefined, now);
    expect(figures.needs).toBe(false);
    expect(ruleDone(figures, t)).toBe('Done this year');
  });
});

describe('a monthly rule on the phone', () => {
  const monthly = {
    id: 'm',
    coverage: { week: '2026-10', required: 2, days_visited: 0, last_visit_at: null },
  };

  it("counts this month's visits, not this week's, and says so", () => {
    setLang('en');
    const counted = {
      coverage: { ...monthly.coverage, days_visited: 1, last_visit_at: at(9, 30) },
    };
    expect(weekFigures(counted, undefined, now)).toMatchObject({ kind: 'month', days: 1 });
    expect(ruleText(weekFigures(counted, undefined, now), t)).toBe('This month 1 / 2');
    setLang('zh-CN');
    expect(ruleText(weekFigures(counted, undefined, now), t)).toBe('本月 1 / 2');
  });

  it("adds this phone's uncounted days of the month, from earlier weeks too", () => {
    const later = new Date(2026, 9, 14, 10, 0); // a fortnight on, another ISO week
    const local = localVisitIndex(
      [
        { resident_id: 'm', checked_in_at: at(9, 30) }, // last month: not this month's
        { resident_id: 'm', checked_in_at: at(10, 2) },
        { resident_id: 'm', checked_in_at: at(10, 13) },
      ],
      later,
    );
    const figures = weekFigures(monthly, local.get('m'), later);
    expect(figures).toMatchObject({ days: 2, needs: false });
    setLang('en');
    expect(ruleDone(figures, t)).toBe('Done this month');
  });

  it('starts again at zero in a new month', () => {
    const stale = { coverage: { ...monthly.coverage, week: '2026-09', days_visited: 2 } };
    expect(weekFigures(stale, undefined, now)).toMatchObject({ days: 0, needs: true });
  });
});

describe('a visit every N days on the phone', () => {
  const gapped = {
    id: 'g',
    coverage: {
      week: 'days',
      required: 1,
      days_visited: 1,
      every_days: 10,
      due_by: '2026-10-04',
      last_visit_at: at(9, 24),
    },
  };

  it('says when the next visit is due, and how late it is', () => {
    setLang('en');
    const figures = weekFigures(gapped, undefined, now);
    expect(figures).toMatchObject({ kind: 'days', every: 10, dueIn: 3, needs: false });
    expect(ruleText(figures, t)).toBe('Every 10 days, due in 3');
    const late = ruleFigures(gapped, undefined, new Date(2026, 9, 6, 9));
    expect(late).toMatchObject({ dueIn: -2, needs: true });
    expect(ruleText(late, t)).toBe('Every 10 days, 2 overdue');
    setLang('zh-CN');
    expect(ruleText(figures, t)).toBe('每 10 天一次，3 天后到期');
    expect(ruleText(late, t)).toBe('每 10 天一次，已逾期 2 天');
  });

  it('is at risk on the last days of the gap', () => {
    expect(warningDays(10)).toBe(2);
    expect(warningDays(3)).toBe(1);
    expect(ruleFigures(gapped, undefined, new Date(2026, 9, 3, 9)).needs).toBe(true);
    expect(ruleFigures(gapped, undefined, new Date(2026, 9, 2, 9)).needs).toBe(false);
  });

  it('starts a new gap with a visit made on this phone', () => {
    const local = localVisitIndex([{ resident_id: 'g', checked_in_at: at(10, 1) }], now);
    expect(ruleFigures(gapped, local.get('g'), now)).toMatchObject({ dueIn: 10, needs: false });
  });

  it('leaves weekly rules to the week figures', () => {
    expect(ruleFigures({ coverage: { week: '2026-W40', required: 2 } }, undefined, now)).toBe(null);
  });
});

describe('the board of the other rules', () => {
  const filters = { week: null, unit: '', status: '', sort: 'priority', page: 1 };

  it('asks for a year or the gaps', () => {
    expect(qs(ruleQuery({ ...filters, kind: 'year', year: '2026' }, boardQuery(filters)))).toBe(
      '?sort=priority&page=1&per_page=50&year=2026',
    );
    expect(qs(ruleQuery({ ...filters, kind: 'days' }, boardQuery(filters)))).toBe(
      '?sort=priority&page=1&per_page=50&period=days',
    );
    expect(ruleQuery({ ...filters, kind: 'week' }, { week: '2026-W40' })).toEqual({
      week: '2026-W40',
    });
  });

  it('names the period and a gap in both languages', () => {
    setLang('en');
    expect(periodText('2026')).toBe('Year 2026');
    expect(periodText('2026-W40')).toBe(null);
    expect(ruleName({ required: 6, period: 'year' })).toBe('6 a year');
    expect(ruleName({ required: 1, period: 'days', every_days: 10 })).toBe('A visit every 10 days');
    expect(t('coverageRules.overdue', { n: 3 })).toBe('3 days overdue');
    expect(gapCell({ required: 2 })).toBe(null);
    setLang('zh-CN');
    expect(periodText('2026')).toBe('2026 年');
    expect(ruleName({ required: 6, period: 'year' })).toBe('每年 6 次');
  });
});
