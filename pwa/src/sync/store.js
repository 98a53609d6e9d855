// The sync client's view of IndexedDB: session, cursor, outbox, roster, tasks and cases.
// Shared by the page and the service worker (Background Sync). With a PIN set, only a page
// that has been unlocked holds the key: elsewhere the store is `locked` and nothing is synced.
import { db, getMeta, setMeta, delMeta, forgetRoster } from './db.js';
import * as outbox from './outbox.js';
import * as tasks from './tasks.js';
import * as cases from './cases.js';
import * as reviews from './reviews.js';
import * as activities from './activities.js';
import { getSecret, refresh, isLocked, sealRows } from './vault.js';

export const store = {
  /** True when a PIN is set and this page or service worker does not hold the key. */
  async locked() {
    await refresh();
    return isLocked();
  },
  session: () => getSecret('session'),
  cursor: () => getMeta('cursor', null),
  setCursor: (c) => setMeta('cursor', c),
  pendingItems: () => outbox.pendingItems(),
  async applyResults(results, items, now) {
    const accepted = new Set(
      (results || [])
        .filter((r) => r.status === 'created' || r.status === 'duplicate')
        .map((r) => r.id),
    );
    const held = items.filter((i) => accepted.has(i.id));
    // The copies are kept before the outbox lets the items go: in between, a case opened on
    // this phone was in neither, and its screen, opened then, found no case and left.
    await tasks.keepAccepted(held);
    await cases.keepAccepted(held);
    await reviews.keepAccepted(held);
    return outbox.applyResults(results, items, now);
  },
  markRejected: (id, errors) => outbox.markRejected(id, errors),

  async applyRoster(page) {
    const [units, residents] = await Promise.all([
      sealRows('units', page.units || []),
      sealRows('residents', page.residents || []),
    ]);
    await db.transaction('rw', db.units, db.residents, async () => {
      if (units.length) await db.units.bulkPut(units);
      if (residents.length) await db.residents.bulkPut(residents);
      if (page.removed?.residents?.length) await db.residents.bulkDelete(page.removed.residents);
      if (page.removed?.units?.length) await db.units.bulkDelete(page.removed.units);
    });
    await tasks.applyPulled(page.tasks || [], page.removed?.tasks || []);
    await cases.applyPulled(page.cases || [], page.removed?.cases || []);
    await reviews.applyPulled(page.reviews || [], page.removed?.reviews || []);
    await activities.applyPulled(page.activities || [], page.activity_types || []);
  },

  /** After a full resend: drop the returned records it did not carry. */
  pruneReviews: (reviewIds) => reviews.prune(reviewIds),

  /** After a full resend: drop the cases it did not carry. */
  pruneCases: (caseIds) => cases.prune(caseIds),

  /** After a full resend: drop the tasks it did not carry. */
  pruneTasks: (taskIds) => tasks.prune(taskIds),

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
    // A locked store tried nothing: what the last real attempt said still stands.
    if (o.reason === 'locked') return;
    const { changed, ...kept } = o;
    await setMeta('last_attempt', kept);
    if (o.ok) {
      await setMeta('last_sync', o.at);
      await delMeta('auth_expired');
      await outbox.purgeSynced();
      await activities.purgeOld();
    } else if (o.reason === 'auth') {
      await setMeta('auth_expired', true);
      if (o.revoked) {
        // Signed out by the office: the roster goes now, the unsent visits stay for the next login.
        const [before, draft] = await Promise.all([getMeta('revoked'), getMeta('draft')]);
        await forgetRoster();
        await setMeta('revoked', before || { at: o.at, draft: Boolean(draft) });
      }
    }
  },
};
