// The evaluation's arithmetic on the screen, as the server does it (server/evaluation/table.py):
// the grade of a total, points in half points, and what a column's row shows.

export const COLUMNS = ['self', 'review', 'assessment'];
export const GRADES = ['fail', 'pass', 'model'];

/** The grade a total earns: below 70 fail, 70 to 84.5 pass, 85 and above model. */
export function gradeOf(total) {
  if (total >= 85) return 'model';
  if (total >= 70) return 'pass';
  return 'fail';
}

/** Points as the form prints them: 5, 5.5, or an em dash for none. */
export const fmtPoints = (points) =>
  points === null || points === undefined ? '—' : String(Math.round(points * 2) / 2);

/** Whether `value` (text from an input) is a score the item takes: 0..max in half points. */
export function validPoints(value, max) {
  if (value === '' || value === null || value === undefined) return false;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n <= max && Math.round(n * 2) === n * 2;
}

/** A note is needed when the points entered differ from the computed ones. */
export const needsNote = (points, computed, note) =>
  computed !== null && computed !== undefined && Number(points) !== computed && !note?.trim();

/** The column one may enter now, if any (the first open one one may enter). */
export const enterable = (evaluation) =>
  COLUMNS.find((column) => evaluation.columns[column]?.may_enter) || null;

/** The manual items a column still lacks before self may be handed in. */
export const missingManual = (evaluation, column) =>
  evaluation.items
    .filter((item) => !item.computed)
    .filter((item) => evaluation.columns[column].points[item.code] === null)
    .map((item) => item.code);

/** "key 3, key 5" of a computed item's figures, names given by `label(key)`. */
export function figuresLine(figures, label) {
  return Object.entries(figures || {})
    .map(([key, value]) => {
      const shown = Array.isArray(value)
        ? value.join(', ') || '—'
        : typeof value === 'boolean'
          ? value
            ? '✓'
            : '✗'
          : value === null
            ? '—'
            : typeof value === 'number' && !Number.isInteger(value)
              ? `${Math.round(value * 1000) / 10}%`
              : String(value);
      return `${label(key)} ${shown}`;
    })
    .join(' · ');
}
