// When the PIN lock is due: after the chosen minutes without use, never without a PIN.
import { describe, it, expect, beforeEach } from 'vitest';
import { idleExpired, watch } from '../src/state/lock.js';
import { keyring, resetKeyring } from '../src/sync/keyring.js';

describe('idle time', () => {
  it('is due once the minutes have passed, not before', () => {
    expect(idleExpired(0, 59_999, 1)).toBe(false);
    expect(idleExpired(0, 60_000, 1)).toBe(true);
    expect(idleExpired(0, 14 * 60e3, 15)).toBe(false);
    expect(idleExpired(0, 15 * 60e3, 15)).toBe(true);
    expect(idleExpired(0, 1e12, null)).toBe(false); // no PIN: never
  });
});

describe('watching for idleness', () => {
  let clock;
  let target;
  let doc;
  beforeEach(() => {
    resetKeyring();
    clock = 0;
    target = new EventTarget();
    doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  });
  const start = (locks) => watch(() => locks.push(clock), { now: () => clock, target, doc });

  it('counts a touch as use, and locks on the first touch after too long', () => {
    keyring.config = { idle_minutes: 5 };
    const locks = [];
    const stop = start(locks);
    clock = 4 * 60e3;
    target.dispatchEvent(new Event('pointerdown'));
    clock = 8 * 60e3; // 4 minutes after the touch
    target.dispatchEvent(new Event('keydown'));
    expect(locks).toEqual([]);
    clock = 14 * 60e3; // 6 minutes after: the phone slept, this tap wakes it
    target.dispatchEvent(new Event('pointerdown'));
    expect(locks).toEqual([14 * 60e3]);
    target.dispatchEvent(new Event('pointerdown'));
    expect(locks).toHaveLength(1); // once
    stop();
  });

  it('locks when the app is shown again after the minutes passed in the background', () => {
    keyring.config = { idle_minutes: 1 };
    const locks = [];
    const stop = start(locks);
    clock = 2 * 60e3;
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(locks).toEqual([]);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(locks).toEqual([2 * 60e3]);
    stop();
  });

  it('never locks without a PIN', () => {
    const locks = [];
    const stop = start(locks);
    clock = 1e9;
    target.dispatchEvent(new Event('pointerdown'));
    expect(locks).toEqual([]);
    stop();
  });
});
