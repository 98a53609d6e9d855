// The service worker: precached app shell, every app navigation answered with index.html
// (offline too), nothing under /api/ ever cached, Background Sync of the outbox, and the
// notifications of urgent tasks (Web Push).
import {
  precacheAndRoute,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  matchPrecache,
} from 'workbox-precaching';
import { registerRoute, NavigationRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import { createSyncClient } from '../sync/client.js';
import { store } from '../sync/store.js';

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Control the first page at once; an update waits until the worker says "reload".
clientsClaim();
self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});

// The app's own routes: always the precached shell, so opening works with no signal.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    allowlist: [/^\/$/, /^\/index\.html$/, /^\/r\/[^/]+\/?$/],
  }),
);
// Any other page of this origin (server-rendered print views) from the network; offline, the app.
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && !url.pathname.startsWith('/api/'),
  async ({ request }) => {
    try {
      return await fetch(request);
    } catch {
      return (await matchPrecache('index.html')) || Response.error();
    }
  },
);

const sync = createSyncClient({
  store,
  appVersion: typeof __APP_VERSION__ === 'undefined' ? 'sw' : __APP_VERSION__,
});

self.addEventListener('sync', (event) => {
  if (event.tag !== 'rounds-sync') return;
  // The browser fires this when the signal returns, on every phone at once: an automatic sync.
  event.waitUntil(
    sync.run({ automatic: true }).then(async (outcome) => {
      const clients = await self.clients.matchAll({ type: 'window' });
      for (const c of clients) c.postMessage({ type: 'synced', outcome });
      // A failure other than "log in again" asks the browser to try later. With a PIN set
      // this worker never holds the key ("locked"): the app syncs once it is unlocked.
      if (!outcome.ok && !['auth', 'locked'].includes(outcome.reason))
        throw new Error(outcome.message);
    }),
  );
});

// Web Push: an urgent follow-up task for a supervisor who asked to be told (office alerts
// screen). The message is {title, body, url}; a click opens that page of the app.
self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data?.text() || '' };
  }
  const url = new URL(message.url || '/#/alerts', self.location.origin);
  const sameOrigin = url.origin === self.location.origin;
  event.waitUntil(
    self.registration.showNotification(message.title || 'Rounds', {
      body: message.body || '',
      tag: message.task_id ? `task-${message.task_id}` : undefined,
      icon: '/icons/icon-192.png',
      data: { url: sameOrigin ? url.href : self.location.origin + '/#/alerts' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url || self.location.origin + '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((c) => new URL(c.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        // A controlled page moves to the task; one that is not opens it afresh.
        if (open.url !== url) await open.navigate(url).catch(() => self.clients.openWindow(url));
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
