import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { isoWeek, weekRange, shiftWeek, addDays, dayKey, today } from '../src/lib/dates.js';

describe('ISO weeks', () => {
  it('hold the days at year ends in the week of their Thursday', () => {
    expect(isoWeek('2026-12-28')).toBe('2026-W53'); // Monday
    expect(isoWeek('2026-12-31')).toBe('2026-W53'); // Thursday
    expect(isoWeek('2027-01-01')).toBe('2026-W53'); // Friday: 2026's last week
    expect(isoWeek('2027-01-03')).toBe('2026-W53'); // Sunday
    expect(isoWeek('2027-01-04')).toBe('2027-W01'); // Monday
    expect(isoWeek('2024-12-29')).toBe('2024-W52'); // Sunday
    expect(isoWeek('2024-12-30')).toBe('2025-W01'); // Monday: already 2025's first week
    expect(isoWeek('2020-12-31')).toBe('2020-W53');
    expect(isoWeek('2021-01-04')).toBe('2021-W01');
  });

  it('are the same whether the day comes as a string, a Date or a time', () => {
    expect(isoWeek(new Date(2026, 11, 31, 23, 59))).toBe('2026-W53');
    expect(isoWeek(new Date(2027, 0, 4, 0, 1))).toBe('2027-W01');
    expect(isoWeek(new Date(2027, 0, 4, 0, 1).toISOString())).toBe('2027-W01');
    expect(isoWeek(new Date(2024, 11, 30))).toBe('2025-W01');
  });

  it('run Monday to Sunday and step across year ends', () => {
    expect(weekRange('2026-W53')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(weekRange('2027-W01')).toEqual({ from: '2027-01-04', to: '2027-01-10' });
    expect(weekRange('not a week')).toBeNull();
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53');
    expect(shiftWeek('2025-W01', -1)).toBe('2024-W52');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('agree with the week range of every day for decades', () => {
    for (let day = '2000-01-01'; day < '2040-01-01'; day = addDays(day, 1)) {
      const range = weekRange(isoWeek(day));
      if (!(range.from <= day && day <= range.to))
        expect(`${day} in ${isoWeek(day)}`).toBe('inside its week');
    }
  });
});

// The app has no institution time zone of its own: a time counts on the day it is on the
// phone, which is where the institution is. Here the phone is in China (UTC+8).
describe('on a phone in China', () => {
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Asia/Shanghai';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it('counts a visit on the local day, not the UTC one', () => {
    // 00:30 on Monday 4 January 2027 in China is still Sunday 3 January in UTC.
    const visit = '2027-01-04T00:30:00+08:00';
    expect(dayKey(visit)).toBe('2027-01-04');
    expect(isoWeek(visit)).toBe('2027-W01');
    expect(isoWeek(new Date('2027-01-03T16:30:00Z'))).toBe('2027-W01');
    // 23:30 on Thursday 31 December 2026 in China: the last week of 2026.
    expect(isoWeek('2026-12-31T23:30:00+08:00')).toBe('2026-W53');
    expect(today(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });
});
