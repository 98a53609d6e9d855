import { describe, it, expect } from 'vitest';
import {
  gradeOf,
  fmtPoints,
  validPoints,
  needsNote,
  enterable,
  missingManual,
  figuresLine,
} from '../src/office/evaluation-logic.js';

describe('the evaluation on screen', () => {
  it('grades a total as the form does', () => {
    expect([69.5, 70, 84.5, 85, 100].map(gradeOf)).toEqual([
      'fail',
      'pass',
      'pass',
      'model',
      'model',
    ]);
  });

  it('takes points from 0 to the item in half points', () => {
    expect(validPoints('5.5', 6)).toBe(true);
    expect(validPoints('0', 6)).toBe(true);
    expect(validPoints('6.5', 6)).toBe(false);
    expect(validPoints('5.3', 6)).toBe(false);
    expect(validPoints('', 6)).toBe(false);
    expect(validPoints('-1', 6)).toBe(false);
    expect(fmtPoints(5.5)).toBe('5.5');
    expect(fmtPoints(null)).toBe('—');
  });

  it('asks for a note only when the points leave the computed ones', () => {
    expect(needsNote(6, 4, '')).toBe(true);
    expect(needsNote(6, 4, '纸质台账')).toBe(false);
    expect(needsNote(4, 4, '')).toBe(false);
    expect(needsNote(8, null, '')).toBe(false);
  });

  it('finds the column one may enter and the manual items left', () => {
    const evaluation = {
      items: [
        { code: 'premises', computed: false },
        { code: 'visits', computed: true },
        { code: 'finance', computed: false },
      ],
      columns: {
        self: { may_enter: false, points: { premises: 8, visits: 2, finance: null } },
        review: { may_enter: true, points: {} },
        assessment: { may_enter: false, points: {} },
      },
    };
    expect(enterable(evaluation)).toBe('review');
    expect(missingManual(evaluation, 'self')).toEqual(['finance']);
  });

  it('says the figures behind an item', () => {
    const line = figuresLine({ days: 4, services: ['relief'], satisfied_share: 0.8 }, (k) => k);
    expect(line).toBe('days 4 · services relief · satisfied_share 80%');
    expect(figuresLine({ heads: 1, qualified: false }, (k) => k)).toBe('heads 1 · qualified ✗');
  });
});
