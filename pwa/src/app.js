// The controller: session, roster in memory, the visit draft, routing between views, the
// status strip and when to sync. Views are small functions of (app, params) -> {el, destroy?}.
import { db, getMeta, setMeta, delMeta, deviceId, uuid, clearWorkerData, readAll, persistence, isPersisted } from './sync/db.js';
import * as outbox from './sync/outbox.js';
import { store } from './sync/store.js';
import { createSyncClient } from './sync/client.js';
import { rfc3339 } from './lib/dates.js';
import { buildRoster, localVisitIndex, warmSearchKeys } from './state/roster-figures.js';
import { t, setLang, pickLang } from './lib/i18n/index.js';
import * as api from './lib/api.js';
import { resolveToken } from './lib/scanner.js';
import { registerServiceWorker, requestBackgroundSync } from './lib/update.js';
import { h, clear } from './lib/dom.js';
import { statusStrip } from './worker/views/status.js';
import { loginView } from './worker/views/login.js';
import { rosterView } from './worker/views/roster.js';

const SYNC_EVERY_MS = 3 * 60e3;
/** Views during which the app must not be reloaded or interrupted. */
const VISIT_ROUTES = new Set(['visit', 'rate', 'confirm', 'amend']);

// The login and roster views come with the first load; the others are separate chunks
// (precached by the service worker, so they open offline too) to keep the first load light.
const lazy = (load, name) => () => load().then((m) => m[name]);
const ROUTES = {
  '': async () => rosterView,
  login: async () => loginView,
  scan: lazy(() => import('./worker/views/scan.js'), 'scanView'),
  visit: lazy(() => import('./worker/views/visit.js'), 'visitView'),
  rate: lazy(() => import('./worker/views/rate.js'), 'rateView'),
  confirm: lazy(() => import('./worker/views/confirm.js'), 'confirmView'),
  records: lazy(() => import('./worker/views/records.js'), 'recordsView'),
  amend: lazy(() => import('./worker/views/records.js'), 'amendView'),
  settings: lazy(() => import('./worker/views/settings.js'), 'settingsView'),
  // Supervisor and admin screens (online only), in their own chunks.
  board: lazy(() => import('./office/views/board.js'), 'boardView'),
  history: lazy(() => import('./office/views/board.js'), 'historyView'),
  resident: lazy(() => import('./office/views/resident.js'), 'residentView'),
  alerts: lazy(() => import('./office/views/lists.js'), 'alertsView'),
  followups: lazy(() => import('./office/views/lists.js'), 'followupsView'),
  satisfaction: lazy(() => import('./office/views/reports.js'), 'satisfactionView'),
  activity: lazy(() => import('./office/views/reports.js'), 'activityView'),
  exports: lazy(() => import('./office/views/reports.js'), 'exportsView'),
  admin: lazy(() => import('./office/views/admin.js'), 'adminView'),
};
const OFFICE_ROUTES = new Set(['board', 'history', 'resident', 'alerts', 'followups', 'satisfaction', 'activity', 'exports', 'admin']);
/** Supervisors and admins get the office screens; workers keep the worker app. */
export const isOfficeUser = (session) => ['supervisor', 'admin'].includes(session?.user?.role);

export class App {
  constructor(root) {
    this.root = root;
    this.session = null;
    this.langSetting = null;
    this.units = [];
    this.residents = [];
    this.byId = new Map();
    this.byHash = new Map();
    this.roster = [];
    this.draft = null;
    this.counts = { waiting: 0, problems: 0, total: 0 };
    this.lastSync = null;
    this.lastAttempt = null;
    this.authExpired = false;
    this.syncing = false;
    this.applyUpdate = null;
    this.storage = 'unknown';
    this.view = null;
    this.route = null;
    this.handled = new WeakSet(); // sync outcomes already acted on (callers may share a run)
    this.syncClient = createSyncClient({
      store,
      appVersion: __APP_VERSION__,
      onStart: () => {
        this.syncing = true;
        this.strip?.update();
      },
    });
  }

  async start() {
    this.langSetting = await getMeta('lang');
    setLang(pickLang(this.langSetting, navigator.languages || [navigator.language]));
    this.session = await getMeta('session');
    this.draft = await getMeta('draft');
    await deviceId();
    this.buildShell();
    await Promise.all([this.loadRoster(), this.refreshStatus()]);
    this.storage = (await isPersisted()) ? 'granted' : await getMeta('storage', 'unknown');
    this.dismissed = new Set(await getMeta('dismissed', []));

    // A QR link opened from the phone's camera app: /r/<token>.
    const m = location.pathname.match(/^\/r\/([^/]+)\/?$/);
    if (m) {
      sessionStorage.setItem('rounds.openToken', decodeURIComponent(m[1]));
      history.replaceState(null, '', '/');
    }

    window.addEventListener('hashchange', () => this.render());
    // Syncs nobody asked for are automatic: the client spreads them with a random wait.
    window.addEventListener('online', () => {
      this.strip.update();
      this.sync({ automatic: true });
    });
    window.addEventListener('offline', () => this.strip.update());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.staleSync()) this.sync({ automatic: true });
    });
    setInterval(() => {
      if (navigator.onLine && document.visibilityState !== 'hidden') this.sync({ automatic: true });
    }, SYNC_EVERY_MS);
    registerServiceWorker(
      (apply) => {
        this.applyUpdate = apply;
        this.showUpdate();
      },
      (msg) => {
        if (msg?.type === 'synced') this.afterSync(msg.outcome);
      },
    );

    if (!this.session) this.go('login', true);
    else this.render();
    // Fetch the visit screens once the first screen is up, so the first tap never waits.
    if (!isOfficeUser(this.session)) setTimeout(() => ['visit', 'rate', 'confirm', 'scan'].forEach((k) => ROUTES[k]().catch(() => {})), 3000);
    if (this.session) {
      await this.openPendingToken();
      this.sync({ automatic: true });
    }
  }

  // ---- shell -------------------------------------------------------------------------

  buildShell() {
    clear(this.root);
    this.strip = statusStrip(this);
    this.updateBar = h('div', { class: 'update', hidden: true, role: 'status' });
    this.banner = h('div', { class: 'banners' });
    this.main = h('main', { id: 'main', tabindex: '-1' });
    this.toastEl = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
    this.root.append(this.strip.el, this.updateBar, this.banner, this.main, this.toastEl);
  }

  showUpdate() {
    const bar = clear(this.updateBar);
    // Never offer the reload in the middle of a visit; it shows again on the roster.
    bar.hidden = !this.applyUpdate || VISIT_ROUTES.has(this.route);
    if (bar.hidden) return;
    bar.append(h('span', null, t('update.available')), h('button', { type: 'button', class: 'btn small', onclick: () => this.applyUpdate() }, t('update.reload')));
  }

  toast(text, kind = 'ok') {
    clear(this.toastEl).append(h('p', { class: `toast-msg ${kind}` }, kind === 'ok' ? '✓ ' : '⚠ ', text));
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => clear(this.toastEl), 6000);
  }

  // ---- routing -----------------------------------------------------------------------

  go(route, replace = false) {
    const hash = `#/${route}`;
    if (replace) history.replaceState(null, '', hash);
    else if (location.hash !== hash) {
      location.hash = hash;
      return; // hashchange renders
    }
    this.render();
  }

  async render() {
    const path = location.hash.replace(/^#\/?/, '');
    let [name, ...rest] = path.split('/');
    if (!this.session && name !== 'login') name = 'login';
    if (this.session && name === 'login' && !this.authExpired) name = '';
    if (!ROUTES[name]) name = '';
    const office = isOfficeUser(this.session);
    if (office && name === '') name = 'board';
    if (!office && OFFICE_ROUTES.has(name)) name = '';
    document.body.classList.toggle('office', office);
    const ticket = (this.renderTicket = (this.renderTicket || 0) + 1);
    let viewFn;
    try {
      viewFn = await ROUTES[name]();
    } catch {
      // The screen's code is not on the phone yet (offline before installing finished):
      // stay on the current screen, with the draft kept, and say why.
      if (ticket !== this.renderTicket) return;
      if (this.shownHash !== undefined) history.replaceState(null, '', this.shownHash);
      this.toast(t('update.screenMissing'), 'warn');
      return;
    }
    if (ticket !== this.renderTicket) return; // a later navigation won
    this.view?.destroy?.();
    this.route = name;
    document.body.classList.toggle('handover', name === 'rate');
    this.showUpdate();
    const v = viewFn(this, rest.map(decodeURIComponent));
    if (v.redirect !== undefined) {
      this.view = null;
      this.go(v.redirect, true);
      return;
    }
    this.view = v;
    this.shownHash = location.hash;
    clear(this.main).append(v.el);
    document.title = v.title ? `${v.title} · Rounds` : 'Rounds';
    this.strip.update();
    this.renderBanners();
    window.scrollTo(0, 0);
    v.focus ? v.focus() : this.main.focus({ preventScroll: true });
  }

  renderBanners() {
    const b = clear(this.banner);
    if (this.route !== '' || !this.draft) return;
    const r = this.byId.get(this.draft.resident_id);
    b.append(
      h(
        'div',
        { class: 'banner' },
        h('p', null, t('draft.unfinished', { name: r?.name || '—' })),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn', onclick: () => this.go(this.draft.step || 'visit') }, t('draft.continue')),
          h('button', { type: 'button', class: 'btn secondary', onclick: () => this.discardDraft() }, t('draft.discard')),
        ),
      ),
    );
  }

  /** Hide a hint for good (kept across opens). */
  dismiss(key) {
    this.dismissed.add(key);
    setMeta('dismissed', [...this.dismissed]);
  }

  // ---- session -----------------------------------------------------------------------

  async login(username, password) {
    const device = { id: await deviceId(), name: deviceName() };
    const ans = await api.login(username, password, device);
    const previous = this.session;
    if (previous && previous.user?.username !== ans.user?.username) {
      if ((await outbox.counts()).total > 0) throw new api.ApiError(409, t('login.otherUserWaiting', { name: previous.user.display_name || previous.user.username }));
      await clearWorkerData();
      this.draft = null;
    }
    this.session = { token: ans.token, expires_at: ans.expires_at, user: ans.user };
    await setMeta('session', this.session);
    await delMeta('auth_expired');
    this.authExpired = false;
    this.storage = await persistence().catch(() => 'unsupported');
    await setMeta('storage', this.storage);
    await this.loadRoster();
    this.go('', true);
    const first = this.sync();
    await this.openPendingToken(first);
  }

  async logout() {
    const token = this.session?.token;
    if (token && navigator.onLine) await api.logout(token).catch(() => {});
    await clearWorkerData();
    this.session = null;
    this.draft = null;
    this.authExpired = false;
    await this.loadRoster();
    await this.refreshStatus();
    this.go('login', true);
  }

  // ---- roster ------------------------------------------------------------------------

  async loadRoster() {
    // The lookups are filled page by page as the rows arrive, never in one long task.
    const byId = new Map();
    const byHash = new Map();
    const [units, residents] = await Promise.all([
      db.units.toArray(),
      readAll(db.residents, {
        each: (r) => {
          byId.set(r.id, r);
          if (r.qr_hash) byHash.set(r.qr_hash, r);
        },
      }),
    ]);
    this.units = units;
    this.residents = residents;
    this.byId = byId;
    this.byHash = byHash;
    await this.recount();
    warmSearchKeys(residents);
  }

  /** Take the named residents again from IndexedDB (changed or removed by a sync). */
  async updateResidents(ids) {
    const rows = await db.residents.bulkGet(ids);
    const gone = new Set();
    ids.forEach((id, i) => {
      const old = this.byId.get(id);
      if (old?.qr_hash) this.byHash.delete(old.qr_hash);
      const r = rows[i];
      if (r) {
        this.byId.set(id, r);
        if (r.qr_hash) this.byHash.set(r.qr_hash, r);
      } else {
        this.byId.delete(id);
        gone.add(id);
      }
    });
    const seen = new Set();
    this.residents = this.residents
      .filter((r) => !gone.has(r.id))
      .map((r) => {
        seen.add(r.id);
        return this.byId.get(r.id);
      });
    for (const r of rows) if (r && !seen.has(r.id)) this.residents.push(r);
    await this.recount();
  }

  /** Recompute this week's figures from the roster and the visits this phone made. */
  async recount() {
    const [pending, synced] = await Promise.all([db.outbox.where('type').equals('visit').toArray(), db.synced.toArray()]);
    const local = [...pending.map((i) => i.payload), ...synced.map((s) => s.payload)];
    const ticket = (this.recountTicket = (this.recountTicket || 0) + 1);
    const roster = await buildRoster(this.units, this.residents, localVisitIndex(local));
    if (ticket === this.recountTicket) this.roster = roster; // an older count never wins
  }

  unitOf(resident) {
    return this.units.find((u) => u.id === resident?.unit_id);
  }

  // ---- the visit draft ---------------------------------------------------------------

  startVisit(residentId, { identifiedBy = 'manual', qrToken = null } = {}) {
    const r = this.byId.get(residentId);
    if (!r) return;
    const unit = this.unitOf(r);
    this.draft = {
      id: uuid(),
      resident_id: r.id,
      kind: unit?.kind === 'area' ? 'home_visit' : 'round',
      checked_in_at: rfc3339(new Date()),
      checked_out_at: null,
      identified_by: identifiedBy,
      qr_token: identifiedBy === 'qr' ? qrToken : null,
      location: null,
      observations: { living: 'ok', emotional: 'ok', physical: 'ok', notes: '' },
      service_given: '',
      follow_up: false,
      satisfaction: null,
      feedback: '',
      signature: null,
      step: 'visit',
    };
    this.saveDraft();
    this.go('visit');
  }

  /** Keep the draft in IndexedDB so an accidental close or an update never loses it. */
  saveDraft() {
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => setMeta('draft', this.draft), 300);
  }

  async discardDraft() {
    this.draft = null;
    clearTimeout(this.draftTimer);
    await delMeta('draft');
    if (this.route === '') this.renderBanners();
  }

  /** Write the finished visit (or the fixed rejected one) and go back to the roster. */
  async saveVisit() {
    const d = this.draft;
    const visit = toPayload(d);
    visit.checked_out_at = rfc3339(new Date());
    if (d.fix_of) await outbox.replacePayload(d.fix_of, visit);
    else await outbox.addVisit(visit);
    this.draft = null;
    clearTimeout(this.draftTimer);
    await delMeta('draft');
    await this.recount();
    await this.refreshStatus();
    this.go('');
    this.toast(t('saved.visit', { name: this.byId.get(visit.resident_id)?.name || '' }));
    this.afterSave();
  }

  afterSave() {
    // Not one after the other: with no service worker (blocked, or private browsing) the
    // Background Sync request never settles, and the sync must not wait for it.
    requestBackgroundSync();
    if (navigator.onLine) this.sync();
  }

  async openPendingToken(syncing) {
    const token = sessionStorage.getItem('rounds.openToken');
    if (!token) return;
    if (syncing) await syncing;
    sessionStorage.removeItem('rounds.openToken');
    const res = await resolveToken(token, {
      byHash: this.byHash,
      byId: this.byId,
      online: navigator.onLine,
      lookup: (tk) => api.lookupQr(this.session.token, tk),
    });
    if (res.kind === 'resident') this.startVisit(res.resident.id, { identifiedBy: 'qr', qrToken: token });
    else this.toast(t(`scan.result.${res.kind}`), 'warn');
  }

  // ---- sync --------------------------------------------------------------------------

  staleSync() {
    const last = this.lastAttempt?.at ? new Date(this.lastAttempt.at) : null;
    return !last || Date.now() - last > 60e3;
  }

  /**
   * Sync at once (the worker tapped, logged in or saved), or with `automatic: true` after the
   * sync client's random wait. Callers that share a run share its outcome, handled once.
   */
  async sync({ automatic = false } = {}) {
    // Supervisors' and admins' browsers read the API directly; only workers' phones sync.
    if (!this.session || isOfficeUser(this.session)) return null;
    const outcome = await this.syncClient.run({ automatic });
    if (this.handled.has(outcome)) return outcome;
    this.handled.add(outcome);
    this.syncing = false;
    await this.afterSync(outcome);
    if (!outcome.ok && outcome.reason === 'auth' && !VISIT_ROUTES.has(this.route)) this.toast(t('status.loginAgain'), 'warn');
    return outcome;
  }

  async afterSync(outcome) {
    await this.refreshStatus();
    // Re-read the roster only when the server changed it, and then only the residents it
    // named; the counts may change either way.
    if (!outcome || (outcome.roster && !outcome.changed)) await this.loadRoster();
    else if (outcome.roster) await this.updateResidents(outcome.changed);
    else await this.recount();
    // Re-render only views that show synced data, and never one with a form being filled.
    if (this.route === '' || this.route === 'records') this.view?.refresh?.();
  }

  /** An office screen heard 401: the session is over; log in again. */
  sessionEnded() {
    this.authExpired = true;
    this.go('login');
  }

  async refreshStatus() {
    [this.counts, this.lastSync, this.lastAttempt, this.authExpired] = await Promise.all([
      outbox.counts(),
      getMeta('last_sync'),
      getMeta('last_attempt'),
      getMeta('auth_expired', false),
    ]);
    this.strip?.update();
  }

  async setLanguage(setting) {
    this.langSetting = setting || null;
    if (setting) await setMeta('lang', setting);
    else await delMeta('lang');
    setLang(pickLang(this.langSetting, navigator.languages || [navigator.language]));
    this.render();
  }
}

/** The visit as the API wants it (the draft carries a few UI-only fields). */
export function toPayload(d) {
  const { step, fix_of, fix_errors, resident_lang, ...visit } = d;
  return visit;
}

function deviceName() {
  const ua = navigator.userAgent;
  const m = ua.match(/\(([^)]+)\)/);
  return (m ? m[1] : ua).slice(0, 80);
}
