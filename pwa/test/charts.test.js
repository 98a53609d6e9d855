import { describe, it, expect } from 'vitest';
import {
  PALETTE,
  DASHES,
  seriesStyle,
  dataSpan,
  coverageChart,
  coverageWeeks,
  latestShares,
  ratedMonths,
  satisfactionChart,
  activityChart,
  activityDays,
  busiest,
  shortWeek,
} from '../src/office/chart-data.js';

const week = (period, residents, met) => ({
  period,
  residents,
  met,
  share_met: residents ? met / residents : null,
});

const history = {
  weeks: ['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44'],
  units: [
    {
      unit_id: 'a',
      name: 'Ward A 甲病区',
      weeks: [
        week('2026-W40', 0, 0),
        week('2026-W41', 4, 2),
        week('2026-W42', 0, 0),
        week('2026-W43', 4, 4),
        week('2026-W44', 0, 0),
      ],
    },
    {
      unit_id: 'b',
      name: 'Ward B',
      // Out of order, and one week missing: matched by period, not position.
      weeks: [week('2026-W43', 5, 1), week('2026-W41', 5, 5), week('2026-W40', 0, 0)],
    },
  ],
};

const month = (m, satisfied, basically, unsatisfied, counted = true) => {
  const rated = satisfied + basically + unsatisfied;
  const good = satisfied + (counted ? basically : 0);
  return {
    month: m,
    satisfied,
    basically_satisfied: basically,
    unsatisfied,
    rated,
    share: rated ? (satisfied + basically) / rated : null,
    satisfied_share: rated ? good / rated : null,
    meets_target: rated ? good / rated >= 0.8 : null,
  };
};

const scores = {
  from: '2026-01-01',
  to: '2026-06-30',
  target: { satisfaction_target: 0.75, basically_counts_as_satisfied: true },
  months: [
    month('2026-01', 0, 0, 0),
    month('2026-02', 0, 0, 0),
    month('2026-03', 8, 1, 1),
    month('2026-04', 0, 0, 0),
    month('2026-05', 3, 0, 1),
    month('2026-06', 0, 0, 0),
  ],
};

const activity = {
  days: ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'],
  weeks: ['2026-W44', '2026-W45'],
  items: [
    {
      worker: { display_name: '王芳 Wang Fang', username: 'w1' },
      visits: 5,
      per_day: [2, 0, 3, 0],
    },
    { worker: { display_name: '', username: 'w2' }, visits: 1, per_day: [0, 0, 1, 0] },
    { worker: { display_name: 'Silent', username: 'w3' }, visits: 0, per_day: [0, 0, 0, 0] },
  ],
};

describe('chart data', () => {
  it('gives every series a colour, a dash and a marker, distinct for 28 series', () => {
    const seen = new Set();
    for (let i = 0; i < PALETTE.length * DASHES.length; i++) {
      const s = seriesStyle(i);
      seen.add(`${s.colour} ${s.dash.join(',')}`);
    }
    expect(seen.size).toBe(28);
    expect(seriesStyle(0)).toEqual({ colour: PALETTE[0], dash: [], hollow: false });
    expect(seriesStyle(PALETTE.length).hollow).toBe(true);
  });

  it('keeps colours at 4.5:1 or more against white', () => {
    const lum = (hex) => {
      const c = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    for (const c of PALETTE) expect(1.05 / (lum(c) + 0.05)).toBeGreaterThanOrEqual(4.5);
  });

  it('finds the stretch from the first to the last period with data', () => {
    const has = (xs) => (i) => xs[i];
    expect(dataSpan(5, has([0, 1, 0, 1, 0]))).toEqual([1, 4]);
    expect(dataSpan(3, has([0, 0, 0]))).toEqual([0, 0]);
    expect(dataSpan(2, has([1, 1]))).toEqual([0, 2]);
  });

  it('draws coverage as one line per unit in percent, from the first week with data', () => {
    const c = coverageChart(history);
    expect(c.labels).toEqual(['2026-W41', '2026-W42', '2026-W43']);
    expect(c.series).toEqual([
      { label: 'Ward A 甲病区', values: [50, null, 100] },
      { label: 'Ward B', values: [100, null, 20] },
    ]);
  });

  it('lists as table columns only the weeks some unit has a share for', () => {
    expect(coverageWeeks(history)).toEqual(['2026-W41', '2026-W43']);
    expect(coverageWeeks({ weeks: ['2026-W40'], units: [] })).toEqual([]);
    expect(coverageChart({ weeks: ['2026-W40'], units: [] })).toEqual({ labels: [], series: [] });
  });

  it("sums up each unit's latest share", () => {
    expect(latestShares(history)).toEqual([
      { name: 'Ward A 甲病区', week: '2026-W43', share: 1 },
      { name: 'Ward B', week: '2026-W43', share: 0.2 },
    ]);
  });

  it('leaves months with nothing rated out of the table', () => {
    expect(ratedMonths(scores).map((m) => m.month)).toEqual(['2026-03', '2026-05']);
    expect(ratedMonths({ months: [month('2026-01', 0, 0, 0)] })).toEqual([]);
  });

  it("draws satisfaction per month against the answer's target, gaps for months unrated", () => {
    const c = satisfactionChart(scores);
    expect(c.labels).toEqual(['2026-03', '2026-04', '2026-05']);
    expect(c.values).toEqual([90, null, 75]);
    expect(c.target).toBe(75);
    expect(satisfactionChart({ months: [] })).toEqual({ labels: [], values: [], target: null });
  });

  it('draws the share the target judges when 基本满意 is not counted', () => {
    const c = satisfactionChart({
      target: { satisfaction_target: 0.9, basically_counts_as_satisfied: false },
      months: [month('2026-03', 8, 1, 1, false)],
    });
    expect(c.values).toEqual([80]);
    expect(c.target).toBe(90);
  });

  it('draws activity as one line per worker over every day, zeros included', () => {
    const c = activityChart(activity);
    expect(c.labels).toEqual(activity.days);
    expect(c.series).toEqual([
      { label: '王芳 Wang Fang', values: [2, 0, 3, 0] },
      { label: 'w2', values: [0, 0, 1, 0] },
      { label: 'Silent', values: [0, 0, 0, 0] },
    ]);
  });

  it('lists as table rows only the days on which someone visited', () => {
    expect(activityDays(activity)).toEqual([
      { day: '2026-11-01', counts: [2, 0, 0], total: 2 },
      { day: '2026-11-03', counts: [3, 1, 0], total: 4 },
    ]);
    expect(activityDays({ days: ['2026-11-01'], items: [] })).toEqual([]);
  });

  it('names the busiest worker, or none', () => {
    expect(busiest(activity).worker.display_name).toBe('王芳 Wang Fang');
    expect(busiest({ items: [activity.items[2]] })).toBeNull();
  });

  it('shortens ISO weeks', () => {
    expect(shortWeek('2026-W05')).toBe('W05');
  });
});
