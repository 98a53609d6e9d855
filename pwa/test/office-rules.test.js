import { describe, it, expect, beforeEach } from 'vitest';
import { monthOfPeriod, ruleLine } from '../src/office/office-rules.js';
import { satisfactionSetting, shareOfPercent } from '../src/office/target-logic.js';
import { countsLine } from '../src/office/views/reception.js';
import { setLang } from '../src/lib/i18n/index.js';

describe('the office rules strip', () => {
  beforeEach(() => setLang('en'));

  it('takes the month of a week by its Thursday, and a month as itself', () => {
    expect(monthOfPeriod('2026-11')).toBe('2026-11');
    // 30 Nov to 6 Dec 2026: its Thursday is 3 December.
    expect(monthOfPeriod('2026-W49')).toBe('2026-12');
    // 26 Oct to 1 Nov 2026: its Thursday is 29 October.
    expect(monthOfPeriod('2026-W44')).toBe('2026-10');
    expect(monthOfPeriod('nonsense')).toBe(null);
  });

  it('says how many days a rule counted against how many it needs', () => {
    expect(ruleLine({ done: 2, required: 1, last_on: null, due_on: null })).toBe('2 of 1 days');
    setLang('zh-CN');
    expect(ruleLine({ done: 0, required: 2, last_on: null, due_on: null })).toBe('0 / 2 天');
  });
});

describe('the targets', () => {
  beforeEach(() => setLang('en'));

  it('names the satisfaction setting a report was judged by, in both languages', () => {
    const target = { satisfaction_target: 0.9, basically_counts_as_satisfied: false };
    expect(satisfactionSetting(target)).toBe('Target 90%, 基本满意 not counted as satisfied.');
    setLang('zh-CN');
    expect(satisfactionSetting({ ...target, basically_counts_as_satisfied: true })).toBe(
      '目标 90%，“基本满意”计为满意。',
    );
    expect(satisfactionSetting(0.8)).toBe('');
  });

  it('reads the percent typed as the share stored', () => {
    expect(shareOfPercent('90')).toBe(0.9);
    expect(shareOfPercent(' 85.5 ')).toBe(0.855);
    expect(shareOfPercent('')).toBe(null);
    expect(shareOfPercent('101')).toBe(null);
    expect(shareOfPercent('abc')).toBe(null);
  });
});

describe('a reception day', () => {
  beforeEach(() => setLang('en'));

  it('counts the people received by kind, leaving out the kinds nobody was', () => {
    const counts = { total: 3, resident: 2, family: 0, public: 1 };
    expect(countsLine(counts)).toBe('3 received: 2 resident(s), 1 member(s) of the public');
    expect(countsLine({ total: 0 })).toBe('Nobody received yet.');
  });
});
