import { describe, it, expect } from 'vitest';
import {
  qs,
  boardQuery,
  newestOnly,
  Stale,
  pct,
  band,
  trendRuns,
  pageInfo,
  shareOf,
} from '../src/office/logic.js';
import { isoWeek, weekRange, shiftWeek } from '../src/lib/dates.js';

describe('office logic', () => {
  it('builds query strings with repeated units and no empty values', () => {
    expect(qs({ from: '2026-11-01', unit_id: ['a', 'b'], q: '', x: null })).toBe(
      '?from=2026-11-01&unit_id=a&unit_id=b',
    );
    expect(qs({})).toBe('');
  });

  it('counts ISO weeks across year ends', () => {
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
    expect(isoWeek('2026-11-29')).toBe('2026-W48');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(weekRange('2026-W48')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekRange('2025-W01')).toEqual({ from: '2024-12-30', to: '2025-01-05' });
    expect(shiftWeek('2026-W01', -1)).toBe('2025-W52');
    expect(shiftWeek('2020-W53', 1)).toBe('2021-W01');
  });

  it('asks the server for the board with the status filter, sort and page', () => {
    expect(qs(boardQuery({ week: null, unit: '', status: '', sort: 'priority', page: 1 }))).toBe(
      '?sort=priority&page=1&per_page=50',
    );
    expect(
      qs(
        boardQuery({
          week: '2026-W47',
          unit: 'u1',
          status: 'attention',
          sort: '-last_visit',
          page: 3,
        }),
      ),
    ).toBe(
      '?week=2026-W47&unit_id=u1&status=missed&status=at_risk&sort=-last_visit&page=3&per_page=50',
    );
    expect(boardQuery({ status: 'met' }, 20)).toMatchObject({
      status: ['met'],
      sort: 'priority',
      page: 1,
      per_page: 20,
    });
  });

  it('lets only the newest of overlapping loads draw', async () => {
    const start = newestOnly();
    let answerFirst;
    const first = start();
    const firstAnswer = first.fresh(new Promise((resolve) => (answerFirst = resolve)));
    const second = start(); // the filter changed while the first load was out
    await expect(second.fresh(Promise.resolve('filtered'))).resolves.toBe('filtered');
    answerFirst('unfiltered'); // the older answer comes last
    await expect(firstAnswer).rejects.toBeInstanceOf(Stale);
    expect(first.current()).toBe(false);
    expect(second.current()).toBe(true);
  });

  it('lets a load that nothing overtook draw, and fails it with its own error', async () => {
    const start = newestOnly();
    const only = start();
    await expect(only.fresh(Promise.resolve(1))).resolves.toBe(1);
    await expect(only.fresh(Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(only.current()).toBe(true);
  });

  it('shows shares as numbers and bands', () => {
    expect(pct(0.8)).toBe('80%');
    expect(pct(null)).toBe('—');
    expect(shareOf(0, 0)).toBe(null);
    expect([band(1), band(0.8), band(0.5), band(0.1), band(null)]).toEqual([
      'full',
      'high',
      'mid',
      'low',
      'none',
    ]);
  });

  it('draws trend runs broken at weeks without data', () => {
    expect(trendRuns([1, 0, null, 0.5], 100, 20, 0)).toEqual(['0,0 33.3,20', '100,10']);
    expect(trendRuns([null, null])).toEqual([]);
  });

  it('says which rows a page holds', () => {
    expect(pageInfo({ page: 2, per_page: 20, total: 45 })).toEqual({
      page: 2,
      pages: 3,
      from: 21,
      to: 40,
      total: 45,
    });
    expect(pageInfo({ page: 1, per_page: 50, total: 0 })).toMatchObject({
      pages: 1,
      from: 0,
      to: 0,
    });
  });
});
