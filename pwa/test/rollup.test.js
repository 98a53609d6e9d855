import { describe, it, expect } from 'vitest';
import en from '../src/lib/i18n/en.json';
import zh from '../src/lib/i18n/zh-CN.json';
import {
  rollupHref,
  officeLinks,
  trailSteps,
  tableRows,
  rowHref,
} from '../src/office/rollup-logic.js';

const answer = {
  organisation: { id: 'd1', kind: 'district', name: '东区' },
  above: [{ id: 'c1', kind: 'city', name: '市民政局', reached: false }],
  level: 'office',
  total: { residents: 3 },
  rows: [
    { id: 'o1', kind: 'office', name: '一站', residents: 1 },
    { id: 'o2', kind: 'office', name: '二站', residents: 2 },
  ],
};

describe('the roll-up screen', () => {
  it('opens an organisation by its id in the hash', () => {
    expect(rollupHref('a b')).toBe('#/rollup/a%20b');
  });

  it("links an office's row to its board and satisfaction report, filtered to it", () => {
    expect(officeLinks('o1')).toEqual({
      board: '#/board?office_id=o1',
      satisfaction: '#/satisfaction?office_id=o1',
    });
  });

  it('links only the bureaus above that one reaches, and ends at the organisation', () => {
    expect(trailSteps(answer)).toEqual([
      { name: '市民政局', href: null, current: false },
      { name: '东区', href: null, current: true },
    ]);
    const reached = { ...answer, above: [{ ...answer.above[0], reached: true }] };
    expect(trailSteps(reached)[0].href).toBe('#/rollup/c1');
  });

  it('lists the children, then the totals of the organisation', () => {
    const rows = tableRows(answer);
    expect(rows.map((r) => r.id)).toEqual(['o1', 'o2', 'd1']);
    expect(rows.at(-1)).toMatchObject({ total: true, residents: 3, name: '东区' });
  });

  it('drills a district or an office down, never a unit or the totals', () => {
    expect(rowHref({ id: 'o1', kind: 'office' })).toBe('#/rollup/o1');
    expect(rowHref({ id: 'd1', kind: 'district' })).toBe('#/rollup/d1');
    expect(rowHref({ id: 'u1', kind: 'unit' })).toBeNull();
    expect(rowHref(tableRows(answer).at(-1))).toBeNull();
  });

  it('has every rollup text in both languages', () => {
    const keys = (lang) => Object.keys(lang).filter((k) => k.startsWith('rollup.'));
    expect(keys(zh).sort()).toEqual(keys(en).sort());
    expect(keys(en).length).toBeGreaterThan(20);
  });
});
