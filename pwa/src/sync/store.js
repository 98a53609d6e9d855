// The sync client's view of IndexedDB: session, cursor, outbox and roster.
// Shared by the page and the service worker (Background Sync).
import { db, getMeta, setMeta, delMeta } from './db.js';
import * as outbox from './outbox.js';

export const store = {
  session: () => getMeta('session'),
  cursor: () => getMeta('cursor', null),
  setCursor: (c) => setMeta('cursor', c),
  pendingItems: () => outbox.pendingItems(),
  applyResults: (results, items, now) => outbox.applyResults(results, items, now),
  markRejected: (id, errors) => outbox.markRejected(id, errors),

  async applyRoster(page) {
    await db.transaction('rw', db.units, db.residents, async () => {
      if (page.units?.length) await db.units.bulkPut(page.units);
      if (page.residents?.length) await db.residents.bulkPut(page.residents);
      if (page.removed?.residents?.length) await db.residents.bulkDelete(page.removed.residents);
      if (page.removed?.units?.length) await db.units.bulkDelete(page.removed.units);
    });
  },

  /** After a full resend: drop whatever the resend did not carry. */
  async pruneRoster(unitIds, residentIds) {
    return db.transaction('rw', db.units, db.residents, async () => {
      const [u, r] = await Promise.all([
        db.units.toCollection().primaryKeys(),
        db.residents.toCollection().primaryKeys(),
      ]);
      const goneUnits = u.filter((id) => !unitIds.has(id));
      const goneResidents = r.filter((id) => !residentIds.has(id));
      await db.units.bulkDelete(goneUnits);
      await db.residents.bulkDelete(goneResidents);
      return goneUnits.length + goneResidents.length;
    });
  },

  async recordOutcome(o) {
    const { changed, ...kept } = o;
    await setMeta('last_attempt', kept);
    if (o.ok) {
      await setMeta('last_sync', o.at);
      await delMeta('auth_expired');
      await outbox.purgeSynced();
    } else if (o.reason === 'auth') {
      await setMeta('auth_expired', true);
    }
  },
};
