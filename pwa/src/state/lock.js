// The PIN lock in the page: when it is due, and watching for it. With a PIN set the app asks
// for it whenever it opens and after the chosen minutes without a touch or a key (also while
// the phone slept or the app was in the background); locking writes the draft, drops the data
// key and reloads, so nothing the worker saw stays in memory or on the screen.
import * as vault from '../sync/vault.js';

export const { IDLE_CHOICES, PIN_PATTERN } = vault;
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
const CHECK_EVERY_MS = 10e3;

/** True when `minutes` of idleness have passed since `lastActive` (both in ms). */
export function idleExpired(lastActive, now, minutes) {
  return Boolean(minutes > 0) && now - lastActive >= minutes * 60e3;
}

/** Is the lock screen to be shown before anything else? */
export async function needed() {
  await vault.refresh();
  return vault.isLocked();
}

/**
 * Watch for idleness; call onLock() once it is due. Activity that comes after the time is up
 * (the first tap on a phone woken after a long sleep) locks rather than counting as use.
 * Returns a function that stops watching.
 */
export function watch(onLock, { now = Date.now, target = window, doc = document } = {}) {
  let lastActive = now();
  let locked = false;
  const due = () => idleExpired(lastActive, now(), vault.idleMinutes());
  const check = () => {
    if (locked || !vault.isOn() || !due()) return false;
    locked = true;
    onLock();
    return true;
  };
  const active = () => {
    if (!check()) lastActive = now();
  };
  const shown = () => doc.visibilityState === 'visible' && check();
  for (const name of ACTIVITY)
    target.addEventListener(name, active, { capture: true, passive: true });
  doc.addEventListener('visibilitychange', shown);
  const timer = setInterval(check, CHECK_EVERY_MS);
  return () => {
    for (const name of ACTIVITY) target.removeEventListener(name, active, { capture: true });
    doc.removeEventListener('visibilitychange', shown);
    clearInterval(timer);
  };
}

/** Set a PIN (two entries that must match) with its idle minutes; resolves an error key or null. */
export async function turnOn(pin, again, minutes) {
  if (!PIN_PATTERN.test(pin)) return 'pin.errorDigits';
  if (pin !== again) return 'pin.errorMatch';
  if (!IDLE_CHOICES.includes(minutes)) return 'pin.errorMinutes';
  await vault.enable(pin, minutes);
  return null;
}

export const turnOff = (pin) => vault.disable(pin);
export const setIdleMinutes = (minutes) => vault.setIdleMinutes(minutes);
export const isOn = () => vault.isOn();
export const idleMinutes = () => vault.idleMinutes();
export const unlock = (pin) => vault.unlock(pin);
export const waitLeft = () => vault.waitLeft();
export const forget = () => vault.forget();
