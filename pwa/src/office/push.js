// "Notify me of urgent tasks": this browser's Web Push subscription for a supervisor. Shown only
// where the browser has PushManager and the server has a key to sign with (GET /api/v1/push/key);
// the service worker shows what arrives (sw/sw.js, `push` and `notificationclick`).
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { problemLine } from './ui.js';
import { keyBytes } from './task-logic.js';
import { qs } from './logic.js';

const supported = () =>
  typeof window !== 'undefined' &&
  'PushManager' in window &&
  'Notification' in window &&
  'serviceWorker' in navigator;

/** The server's public key, or null when push is off (a null key, or an older server's 404). */
async function serverKey(api) {
  try {
    const answer = await api.get('/api/v1/push/key');
    return answer?.public_key || null;
  } catch {
    return null;
  }
}

/** The person said no to notifications (or the browser blocks them): said as it is. */
class Refused extends Error {}

/** The browser's subscription as the server keeps it. */
export function subscriptionBody(subscription) {
  const json = subscription.toJSON();
  return { endpoint: json.endpoint, keys: { p256dh: json.keys?.p256dh, auth: json.keys?.auth } };
}

export function pushSwitch(api) {
  const box = h('div', { class: 'push-switch', hidden: true });
  const input = h('input', { type: 'checkbox', role: 'switch' });
  const state = h('p', { class: 'hint', role: 'status' });
  const problem = problemLine();
  box.append(
    h('div', { class: 'check' }, h('label', null, input, h('span', null, t('push.switch')))),
    state,
    problem.el,
  );
  let key = null;
  let registration = null;

  async function start() {
    if (!supported()) return;
    // The worker that shows the notifications: on a first visit the switch appears once it is
    // installed; where none is registered (development) it never appears.
    registration = await navigator.serviceWorker.ready;
    if (!registration?.pushManager) return;
    key = await serverKey(api);
    if (!key) return;
    const current = await registration.pushManager.getSubscription().catch(() => null);
    input.checked = Boolean(current) && Notification.permission === 'granted';
    state.textContent = input.checked ? t('push.on') : t('push.off');
    box.hidden = false;
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') throw new Refused(t('push.denied'));
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(key),
    });
    try {
      await api.send('POST', '/api/v1/push/subscriptions', subscriptionBody(subscription));
    } catch (err) {
      await subscription.unsubscribe().catch(() => {});
      throw err;
    }
  }

  async function turnOff() {
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) return;
    const { endpoint } = subscription;
    await subscription.unsubscribe();
    try {
      await api.send('DELETE', `/api/v1/push/subscriptions${qs({ endpoint })}`);
    } catch (err) {
      // Gone from the browser already: a server that still holds it has its sends refused
      // and forgets it then; say so only if it was something else.
      if (err?.status !== 404) throw err;
    }
  }

  input.addEventListener('change', async () => {
    const on = input.checked;
    input.disabled = true;
    problem.show(null);
    try {
      await (on ? turnOn() : turnOff());
      state.textContent = on ? t('push.on') : t('push.off');
    } catch (err) {
      input.checked = !on;
      problem.show(
        err instanceof Refused
          ? err.message
          : err?.status !== undefined
            ? err
            : t('push.failed', { detail: err?.message || '' }),
      );
    } finally {
      input.disabled = false;
    }
  });
  start().catch(() => (box.hidden = true));
  return { el: box };
}
