import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from '../src/lib/i18n/en.json';
import zh from '../src/lib/i18n/zh-CN.json';
import { t, pickLang, setLang } from '../src/lib/i18n/index.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.js') ? [p] : [];
  });
}

describe('catalogs', () => {
  it('have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders for each key', () => {
    for (const k of Object.keys(en)) expect(placeholders(zh[k]), k).toEqual(placeholders(en[k]));
  });

  it('hold every key the code asks for', () => {
    const src = new URL('../src/', import.meta.url).pathname;
    const used = new Set();
    for (const f of sources(src)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\b(?:t|tr)\('([\w.]+)'/g)) used.add(m[1]);
    }
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
    // Keys built at run time.
    for (const k of [
      'status.fail.offline',
      'status.fail.timeout',
      'status.fail.network',
      'status.fail.server',
      'status.fail.auth',
      'scan.result.other_unit',
      'scan.result.rotated',
      'scan.result.unknown',
      'scan.result.offline',
      'scan.result.lookup_failed',
      'satisfaction.satisfied',
      'satisfaction.basically_satisfied',
      'satisfaction.unsatisfied',
      'visit.kind.round',
      'visit.kind.home_visit',
    ]) {
      expect(en, k).toHaveProperty([k]);
    }
  });

  it('say the three ratings the way the register form does', () => {
    expect([
      zh['satisfaction.satisfied'],
      zh['satisfaction.basically_satisfied'],
      zh['satisfaction.unsatisfied'],
    ]).toEqual(['满意', '基本满意', '不满意']);
  });
});

describe('language choice', () => {
  it('follows the phone unless set', () => {
    expect(pickLang(null, ['zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(pickLang(null, ['zh-TW'])).toBe('zh-CN');
    expect(pickLang(null, ['en-GB'])).toBe('en');
    expect(pickLang('en', ['zh-CN'])).toBe('en');
    expect(pickLang('xx', ['fr'])).toBe('en');
  });

  it('fills placeholders', () => {
    setLang('zh-CN');
    expect(t('status.waiting', { n: 3 })).toBe('3 条待同步');
    setLang('en');
    expect(t('status.waiting', { n: 3 })).toBe('3 waiting to sync');
  });
});

describe('words', () => {
  it('call a round 巡视 in the Chinese interface, as the office screens do', () => {
    expect(Object.entries(zh).filter(([, v]) => v.includes('查房'))).toEqual([]);
  });

  it('say "once" rather than "1 times"', () => {
    expect(en['records.amendedOnce']).toBe('Corrected once');
    expect(t('records.amended', { n: 2 }, 'en')).toBe('Corrected 2 times');
  });
});

describe('care levels and times as people read them', () => {
  it('translates the care levels it knows and shows any other by its own name', async () => {
    const { careLevelName } = await import('../src/lib/i18n/index.js');
    expect(careLevelName('full_care', 'zh-CN')).toBe('全护理');
    expect(careLevelName('full_care', 'en')).toBe('Full care');
    expect(careLevelName('dementia_unit', 'zh-CN')).toBe('dementia_unit');
    expect(careLevelName(null, 'en')).toBe('—');
  });

  it('puts one space between the day and the time in every language', async () => {
    const { fmtWhen } = await import('../src/lib/i18n/index.js');
    const now = new Date(2026, 11, 3, 18, 0);
    expect(fmtWhen(new Date(2026, 11, 3, 10, 0), now, 'zh-CN')).toBe('今天 10:00');
    expect(fmtWhen(new Date(2026, 11, 1, 15, 47), now, 'zh-CN')).toBe('周二 15:47');
    expect(fmtWhen(new Date(2026, 10, 2, 9, 5), now, 'zh-CN')).toMatch(/^11月2日 09:05$/);
  });
});
