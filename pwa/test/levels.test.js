import { describe, it, expect } from 'vitest';
import { officeFromHash, unitsOfOffice } from '../src/office/offices.js';
import { officeActions } from '../src/office/case-logic.js';

describe('the office a link names', () => {
  it('is read from the query of the hash', () => {
    expect(officeFromHash('#/board?office_id=abc')).toBe('abc');
    expect(officeFromHash('#/satisfaction?from=2026-11-01&office_id=x-1')).toBe('x-1');
  });

  it('is none without one', () => {
    expect(officeFromHash('#/board')).toBe('');
    expect(officeFromHash('')).toBe('');
  });
});

describe('the unit filter beside the office picker', () => {
  const units = [
    { id: 'u1', office_id: 'east' },
    { id: 'u2', office_id: 'west' },
  ];

  it('lists the chosen office’s units only', () => {
    expect(unitsOfOffice(units, 'west').map((u) => u.id)).toEqual(['u2']);
  });

  it('lists every unit when no office is chosen', () => {
    expect(unitsOfOffice(units, '')).toEqual(units);
  });
});

describe('a case’s actions for an inspector', () => {
  it('offers none, at any stage', () => {
    for (const stage of ['assessment', 'intervention', 'closing']) {
      const actions = officeActions({ stage, plan: {} }, 'inspector');
      expect(actions).toEqual({ contact: false, review: false, signoff: false });
    }
  });

  it('still offers a supervisor the sign-off once closing', () => {
    expect(officeActions({ stage: 'closing' }, 'supervisor').signoff).toBe(true);
  });
});
