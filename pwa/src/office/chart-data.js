// Pure helpers of the office charts (tested in test/charts.test.js): API answers → the series a
// chart draws and the rows its table lists. Shares become percentages (0–100) or null for a
// period with nothing to count: the chart leaves a gap there and the table leaves the row out.

/**
 * Series colours: Okabe–Ito hues darkened to at least 4.5:1 against white, so a line reads as
 * well as text does. Series also differ by dash and by a filled or hollow marker
 * (seriesStyle), so no one needs to tell the colours apart.
 */
export const PALETTE = [
  '#0072B2',
  '#C2410C',
  '#007A5A',
  '#A6527F',
  '#8C6D00',
  '#5B4BB7',
  '#3D3D3D',
];
export const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];
export const TARGET_COLOUR = '#3d3d3d';

/** Colour, dash and marker of the i-th series: 28 distinct lines before a colour and dash repeat. */
export function seriesStyle(i) {
  return {
    colour: PALETTE[i % PALETTE.length],
    dash: DASHES[i % DASHES.length],
    hollow: Math.floor(i / PALETTE.length) % 2 === 1,
  };
}

const percent = (share) => (share === null || share === undefined ? null : share * 100);

/** [start, end) of the stretch from the first to the last index i of n where has(i). */
export function dataSpan(n, has) {
  let start = 0;
  let end = n;
  while (start < n && !has(start)) start++;
  if (start === n) return [0, 0];
  while (end > start && !has(end - 1)) end--;
  return [start, end];
}

/**
 * Coverage history → one line per unit over the weeks, from the first week any unit has a
 * share to the last (weeks before the records began are not drawn; a gap inside stays a gap).
 * {labels: ['2026-W42', …], series: [{label, values: [94.1, null, …]}]}
 */
export function coverageChart(history) {
  const weeks = history.weeks || [];
  const byUnit = (history.units || []).map((u) => {
    const at = new Map((u.weeks || []).map((w) => [w.period, w.share_met]));
    return { label: u.name, shares: weeks.map((w) => at.get(w) ?? null) };
  });
  const [a, b] = dataSpan(weeks.length, (i) => byUnit.some((u) => u.shares[i] !== null));
  return {
    labels: weeks.slice(a, b),
    series: byUnit.map((u) => ({ label: u.label, values: u.shares.slice(a, b).map(percent) })),
  };
}

/** The weeks of the history that some unit has a share for: the table's columns. */
export function coverageWeeks(history) {
  const weeks = history.weeks || [];
  return weeks.filter((w) =>
    (history.units || []).some((u) =>
      (u.weeks || []).some((x) => x.period === w && x.share_met !== null),
    ),
  );
}

/** The latest share of each unit, in the order of the weeks (for the chart's summary). */
export function latestShares(history) {
  const weeks = [...(history.weeks || [])].reverse();
  return (history.units || [])
    .map((u) => {
      const at = new Map((u.weeks || []).map((w) => [w.period, w.share_met]));
      const week = weeks.find((w) => (at.get(w) ?? null) !== null);
      return week ? { name: u.name, week, share: at.get(week) } : null;
    })
    .filter(Boolean);
}

/** Months with something rated: the rows of the "by month" table. */
export const ratedMonths = (scores) => (scores.months || []).filter((m) => m.rated > 0);

/**
 * Satisfaction → the share per month (bars) against the target the answer gives, from the
 * first month with ratings to the last; months between with none are gaps.
 * {labels: ['2026-10', …], values: [89.1, null, …], target: 80}
 */
export function satisfactionChart(scores) {
  const months = scores.months || [];
  const [a, b] = dataSpan(months.length, (i) => months[i].rated > 0);
  const shown = months.slice(a, b);
  return {
    labels: shown.map((m) => m.month),
    // The share the target judges: with 基本满意 counted as satisfied or not, as the answer says.
    values: shown.map((m) => (m.rated > 0 ? percent(m.satisfied_share) : null)),
    target:
      typeof scores.target?.satisfaction_target === 'number'
        ? scores.target.satisfaction_target * 100
        : null,
  };
}

/** Activity → one line per worker over the days of the range (a day without visits is 0). */
export function activityChart(activity) {
  return {
    labels: activity.days || [],
    series: (activity.items || []).map((r) => ({
      label: r.worker.display_name || r.worker.username,
      values: (activity.days || []).map((_, i) => r.per_day?.[i] ?? 0),
    })),
  };
}

/**
 * The per-day table: one row per day on which a worker listed made a visit (days with none
 * are left out), with each worker's count and the total. [{day, counts: [n, …], total}]
 */
export function activityDays(activity) {
  const items = activity.items || [];
  return (activity.days || [])
    .map((day, i) => {
      const counts = items.map((r) => r.per_day?.[i] ?? 0);
      return { day, counts, total: counts.reduce((s, n) => s + n, 0) };
    })
    .filter((d) => d.total > 0);
}

/** The worker with the most visits on the page, for the chart's summary (null when none). */
export function busiest(activity) {
  let best = null;
  for (const r of activity.items || [])
    if (r.visits > 0 && (!best || r.visits > best.visits)) best = r;
  return best;
}

/** '2026-W45' → 'W45'. */
export const shortWeek = (w) => String(w).replace(/^\d{4}-/, '');
