import { describe, it, expect, vi } from 'vitest';
import {
  drawBody,
  drawProblem,
  mayDraw,
  noteSaver,
  progress,
  reachedOffices,
} from '../src/office/sample-logic.js';

const orgs = [
  { id: 'c', kind: 'city', name: 'City', reached: false },
  { id: 'd', kind: 'district', name: 'North', reached: true },
  { id: 'o2', kind: 'office', name: 'West', reached: true },
  { id: 'o1', kind: 'office', name: 'East', reached: true },
];

describe('who draws a sample', () => {
  it('is an inspector, or an admin of a bureau, never an office', () => {
    expect(mayDraw('inspector', [])).toBe(true);
    expect(mayDraw('admin', orgs)).toBe(true);
    expect(mayDraw('admin', [{ kind: 'office', reached: true }])).toBe(false);
    expect(mayDraw('supervisor', orgs)).toBe(false);
  });

  it('picks from the offices reached, by name', () => {
    expect(reachedOffices(orgs).map((o) => o.id)).toEqual(['o1', 'o2']);
  });
});

describe('the draw form', () => {
  const form = { officeId: 'o1', kind: 'visits', start: '2026-11-01', end: '2026-11-30' };

  it('says what is missing before it is sent', () => {
    expect(drawProblem({ ...form, officeId: '', size: 5 })).toBe('samples.need.office');
    expect(drawProblem({ ...form, end: '2026-10-01', size: 5 })).toBe('samples.need.order');
    expect(drawProblem({ ...form, size: '0' })).toBe('samples.need.size');
    expect(drawProblem({ ...form, size: '201' })).toBe('samples.need.size');
    expect(drawProblem({ ...form, size: '20' })).toBeNull();
  });

  it('sends the size as a number and the note trimmed', () => {
    expect(drawBody({ ...form, size: '20', note: ' 年度 ' })).toEqual({
      office_id: 'o1',
      kind: 'visits',
      period_start: '2026-11-01',
      period_end: '2026-11-30',
      size: 20,
      note: '年度',
    });
  });

  it('counts the items checked', () => {
    expect(progress([{ outcome: 'confirmed' }, { outcome: null }, {}])).toEqual({
      checked: 1,
      total: 3,
    });
  });
});

describe('a note saved as typed', () => {
  it('waits for a pause and saves the newest text once', async () => {
    vi.useFakeTimers();
    const saved = [];
    const states = [];
    const saver = noteSaver(async (text) => saved.push(text), {
      delay: 500,
      onState: (s) => states.push(s),
    });
    saver.typed('a');
    saver.typed('ab');
    await vi.advanceTimersByTimeAsync(499);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['ab']);
    expect(states.at(-1)).toBe('saved');
    vi.useRealTimers();
  });

  it('saves at once on flush, and says when saving failed', async () => {
    const states = [];
    const saver = noteSaver(
      async () => {
        throw new Error('offline');
      },
      { onState: (s) => states.push(s) },
    );
    saver.typed('x');
    await expect(saver.flush()).rejects.toThrow('offline');
    expect(states).toEqual(['waiting', 'saving', 'failed']);
  });
});
