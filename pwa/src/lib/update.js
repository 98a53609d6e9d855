// Register the service worker and offer new versions; never reload on our own.
import { Workbox } from 'workbox-window';

let registration = null;

/** onUpdate(apply) is called when a new version waits; apply() reloads into it. */
export function registerServiceWorker(onUpdate, onMessage) {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    onUpdate(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  wb.addEventListener('message', (e) => onMessage?.(e.data));
  wb.register()
    .then((r) => {
      registration = r;
    })
    .catch(() => {});
  // Look for a new version now and then while the app stays open.
  setInterval(() => wb.update().catch(() => {}), 30 * 60e3);
}

/** Ask for a Background Sync so the outbox goes out even if the app is closed first. */
export async function requestBackgroundSync() {
  try {
    // `ready` never settles where the service worker could not be registered.
    const reg =
      registration ||
      (await Promise.race([
        navigator.serviceWorker?.ready,
        new Promise((r) => setTimeout(r, 5000)),
      ]));
    if (reg?.sync) await reg.sync.register('rounds-sync');
  } catch {
    /* not supported or refused: the app syncs while open */
  }
}
