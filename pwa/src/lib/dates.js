// Calendar days, ISO weeks and timestamps, defined once for the whole app (page and service
// worker). A day is a 'YYYY-MM-DD' string in the phone's own time zone: the app has no other
// zone to go by, and the phones are where the institution is (the server counts coverage in
// the institution's zone, ROUNDS_TIMEZONE, which is then the same).

const DAY_MS = 86400e3;
const DAY_FORMAT = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** The local calendar day ('YYYY-MM-DD') of a Date or an RFC 3339 time. */
export function dayKey(when) {
  const date = when instanceof Date ? when : new Date(when);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today on this phone, 'YYYY-MM-DD'. */
export const today = (now = new Date()) => dayKey(now);

/** Milliseconds of 00:00 UTC on a 'YYYY-MM-DD' day: day arithmetic free of time zones. */
const utcOf = (day) => Date.parse(`${day}T00:00:00Z`);
const dayOfUtc = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * The ISO week ('2026-W48') of a day: a 'YYYY-MM-DD' string is that calendar day; a Date or an
 * RFC 3339 time counts on the day it is on this phone. Weeks start on Monday; week 1 is the
 * one holding the year's first Thursday, so 2027-01-01 (a Friday) is in 2026-W53.
 */
export function isoWeek(when = new Date()) {
  const day = typeof when === 'string' && DAY_FORMAT.test(when) ? when : dayKey(when);
  const at = utcOf(day);
  const weekday = (new Date(at).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(at + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${pad(week)}`;
}

/** Monday and Sunday ('YYYY-MM-DD') of an ISO week; null for anything else. */
export function weekRange(week) {
  const found = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!found) return null;
  const jan4 = Date.UTC(Number(found[1]), 0, 4);
  const monday =
    jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (Number(found[2]) - 1) * 7 * DAY_MS;
  return { from: dayOfUtc(monday), to: dayOfUtc(monday + 6 * DAY_MS) };
}

/** The week n weeks after (or before, n < 0) the given one. */
export function shiftWeek(week, n) {
  const range = weekRange(week);
  return range ? isoWeek(addDays(range.from, 7 * n)) : week;
}

/** The day ('YYYY-MM-DD') n days after a day. */
export function addDays(day, n) {
  return dayOfUtc(utcOf(day) + n * DAY_MS);
}

/** RFC 3339 with the device's own offset, e.g. 2026-11-23T09:05:00+08:00. */
export function rfc3339(date) {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}
