// The shell and router: the status strip, the update offer, banners and toasts around one
// screen at a time, chosen by the URL's hash. State lives in state/ (session, draft, roster,
// status, syncing, prefs); screens read it there and call back here to move on. A screen is
// a function of (app, params) -> {el, title?, focus?, refresh?, destroy?} or {redirect}.
import { t } from './lib/i18n/index.js';
import * as api from './lib/api.js';
import { resolveToken } from './lib/scanner.js';
import { registerServiceWorker } from './lib/update.js';
import { h, clear } from './lib/dom.js';
import { statusStrip } from './worker/views/status.js';
import { loginView } from './worker/views/login.js';
import { rosterView } from './worker/views/roster.js';
import { lockView } from './worker/views/lock.js';
import { clearWorkerData } from './sync/db.js';
import * as outbox from './sync/outbox.js';
import { session, draft, roster, status, syncing, prefs, lock } from './state/index.js';

/** Screens during which the app must not be reloaded or interrupted. */
const VISIT_ROUTES = new Set(['visit', 'rate', 'confirm', 'amend']);

// The login and roster screens come with the first load; the others are separate chunks
// (precached by the service worker, so they open offline too) to keep the first load light.
const lazy = (load, name) => () => load().then((module) => module[name]);
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
  'my-tasks': lazy(() => import('./worker/views/tasks.js'), 'tasksView'),
  'my-task': lazy(() => import('./worker/views/tasks.js'), 'taskView'),
  'my-cases': lazy(() => import('./worker/views/cases.js'), 'casesView'),
  'my-case': lazy(() => import('./worker/views/cases.js'), 'caseView'),
  'my-case-open': lazy(() => import('./worker/views/case-forms.js'), 'openCaseView'),
  // Supervisor and admin screens (online only), in their own chunks.
  board: lazy(() => import('./office/views/board.js'), 'boardView'),
  history: lazy(() => import('./office/views/board.js'), 'historyView'),
  resident: lazy(() => import('./office/views/resident.js'), 'residentView'),
  alerts: lazy(() => import('./office/views/lists.js'), 'alertsView'),
  conflicts: lazy(() => import('./office/views/conflicts.js'), 'conflictsView'),
  followups: lazy(() => import('./office/views/lists.js'), 'followupsView'),
  tasks: lazy(() => import('./office/views/tasks.js'), 'tasksView'),
  'task-rules': lazy(() => import('./office/views/task-rules.js'), 'taskRulesView'),
  cases: lazy(() => import('./office/views/cases.js'), 'casesView'),
  meetings: lazy(() => import('./office/views/meetings.js'), 'meetingsView'),
  'meeting-new': lazy(() => import('./office/views/meetings.js'), 'meetingNewView'),
  meeting: lazy(() => import('./office/views/meetings.js'), 'meetingView'),
  samples: lazy(() => import('./office/views/samples.js'), 'samplesView'),
  sample: lazy(() => import('./office/views/samples.js'), 'sampleView'),
  satisfaction: lazy(() => import('./office/views/reports.js'), 'satisfactionView'),
  activity: lazy(() => import('./office/views/activities.js'), 'activityRouteView'),
  'task-report': lazy(() => import('./office/views/reports.js'), 'taskReportView'),
  exports: lazy(() => import('./office/views/reports.js'), 'exportsView'),
  admin: lazy(() => import('./office/views/admin.js'), 'adminView'),
  reviews: lazy(() => import('./office/views/reviews.js'), 'reviewQueueView'),
  'review-report': lazy(() => import('./office/views/reviews.js'), 'reviewReportView'),
  reception: lazy(() => import('./office/views/reception.js'), 'receptionView'),
  targets: lazy(() => import('./office/views/targets.js'), 'targetsView'),
  activities: lazy(() => import('./office/views/activities.js'), 'activitiesView'),
  'activity-types': lazy(() => import('./office/views/activities.js'), 'activityTypesView'),
  'my-activities': lazy(() => import('./worker/views/activities.js'), 'activitiesView'),
  'my-activity-new': lazy(() => import('./worker/views/activities.js'), 'activityNewView'),
  'my-activity': lazy(() => import('./worker/views/activities.js'), 'activityView'),
  rollup: lazy(() => import('./office/views/rollup.js'), 'rollupView'),
  organisations: lazy(() => import('./office/views/organisations.js'), 'organisationsView'),
  evaluations: lazy(() => import('./office/views/evaluation.js'), 'evaluationsView'),
  evaluation: lazy(() => import('./office/views/evaluation.js'), 'evaluationView'),
  office: lazy(() => import('./office/views/office.js'), 'officeView'),
};
const OFFICE_ROUTES = new Set([
  'rollup',
  'board',
  'history',
  'resident',
  'alerts',
  'conflicts',
  'followups',
  'tasks',
  'task-rules',
  'cases',
  'meetings',
  'meeting-new',
  'meeting',
  'samples',
  'sample',
  'task-report',
  'satisfaction',
  'activity',
  'exports',
  'admin',
  'reviews',
  'review-report',
  'reception',
  'targets',
  'activities',
  'activity-types',
  'organisations',
  'evaluations',
  'evaluation',
  'office',
]);

export class App {
  constructor(root) {
    this.root = root;
    this.view = null;
    this.route = null;
    this.applyUpdate = null;
  }

  async start() {
    await prefs.loadLanguage();
    // With a PIN set, the lock screen comes before the session, the roster or the draft is read.
    if (await lock.needed()) await this.unlock();
    lock.watch(() => this.lockNow());
    await session.load();
    await draft.load();
    this.buildShell();
    await Promise.all([roster.load(), status.refresh()]);
    await prefs.loadRest();

    // A QR link opened from the phone's camera app: /r/<token>.
    const link = location.pathname.match(/^\/r\/([^/]+)\/?$/);
    if (link) {
      sessionStorage.setItem('rounds.openToken', decodeURIComponent(link[1]));
      history.replaceState(null, '', '/');
    }

    window.addEventListener('hashchange', () => this.render());
    // A reload or a closed tab must not lose what was typed in the last moment.
    window.addEventListener('pagehide', () => draft.flush());
    window.addEventListener('online', () => status.networkBack());
    window.addEventListener('offline', () => this.strip.update());
    status.on('change', () => {
      this.strip.update();
      if (status.current().revoked) this.renderBanners();
    });
    prefs.on('language', () => this.render());
    // Re-render only screens that show synced data, and never one with a form being filled.
    syncing.on('synced', () => {
      if (['', 'records', 'my-tasks', 'my-cases'].includes(this.route)) this.view?.refresh?.();
      if (['my-activities', 'my-activity'].includes(this.route)) this.view?.refresh?.();
    });
    syncing.on('revoked', () => {
      roster.forgetOrder();
      if (this.route === '' || this.route === 'records' || VISIT_ROUTES.has(this.route))
        this.go('', true);
      else this.renderBanners();
    });
    syncing.on('loginNeeded', () => {
      if (!VISIT_ROUTES.has(this.route)) this.toast(t('status.loginAgain'), 'warn');
    });
    // Syncs nobody asked for are automatic: the client spreads them with a random wait.
    syncing.scheduleAutomatic();
    registerServiceWorker(
      (apply) => {
        this.applyUpdate = apply;
        this.showUpdate();
      },
      (message) => {
        if (message?.type === 'synced') syncing.afterSync(message.outcome);
      },
    );

    if (!session.current()) this.go('login', true);
    else this.render();
    // Fetch the visit screens once the first screen is up, so the first tap never waits.
    if (!session.isOffice())
      setTimeout(
        () =>
          ['visit', 'rate', 'confirm', 'scan', 'my-tasks', 'my-cases', 'my-case-open']
            .concat(['my-activities'])
            .forEach((name) => ROUTES[name]().catch(() => {})),
        3000,
      );
    if (session.current()) {
      await this.openPendingToken();
      syncing.sync({ automatic: true });
    }
  }

  // ---- the PIN lock ------------------------------------------------------------------

  /** Show the lock screen alone; resolves once the right PIN opened the data (or it was given up). */
  async unlock() {
    const { total } = await outbox.counts(); // counts are in clear; what they count is not
    return new Promise((resolve) => {
      const view = lockView({
        waiting: total,
        onUnlocked: resolve,
        onForgot: async () => {
          await clearWorkerData();
          resolve();
        },
      });
      clear(this.root).append(view.el);
      document.title = `${view.title} · Rounds`;
      view.focus();
    });
  }

  /** Idle for too long: keep the draft, drop the key, and start again behind the lock screen. */
  async lockNow() {
    await draft.flush();
    lock.forget();
    clear(this.root); // nothing of the last screen stays visible while the page reloads
    location.reload();
  }

  // ---- shell -------------------------------------------------------------------------

  buildShell() {
    clear(this.root);
    this.strip = statusStrip({ currentRoute: () => this.route, onSyncNow: () => this.syncNow() });
    this.updateBar = h('div', { class: 'update', hidden: true, role: 'status' });
    this.banner = h('div', { class: 'banners' });
    this.main = h('main', { id: 'main', tabindex: '-1' });
    this.toastEl = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
    this.root.append(this.strip.el, this.updateBar, this.banner, this.main, this.toastEl);
  }

  /** "Sync now": at once; with no network, say at once why nothing goes. */
  syncNow() {
    if (!navigator.onLine) return this.toast(t('status.noNetworkNow'), 'warn');
    return syncing.sync();
  }

  showUpdate() {
    const bar = clear(this.updateBar);
    // Never offer the reload in the middle of a visit; it shows again on the roster.
    bar.hidden = !this.applyUpdate || VISIT_ROUTES.has(this.route);
    if (bar.hidden) return;
    bar.append(
      h('span', null, t('update.available')),
      h(
        'button',
        { type: 'button', class: 'btn small', onclick: () => this.applyUpdate() },
        t('update.reload'),
      ),
    );
  }

  toast(text, kind = 'ok') {
    clear(this.toastEl).append(
      h('p', { class: `toast-msg ${kind}` }, kind === 'ok' ? '✓ ' : '⚠ ', text),
    );
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => clear(this.toastEl), 6000);
  }

  renderBanners() {
    const box = clear(this.banner);
    const { revoked, counts } = status.current();
    if (revoked) {
      // Said on every screen until the worker logs in again.
      box.append(
        h(
          'div',
          { class: 'banner warn', role: 'alert' },
          h('p', null, '⚠ ', t('revoked.removed')),
          revoked.draft ? h('p', null, t('revoked.draft')) : null,
          h(
            'p',
            null,
            counts.total === 0
              ? t('revoked.none')
              : counts.total === 1
                ? t('revoked.waitingOne')
                : t('revoked.waiting', { n: counts.total }),
          ),
        ),
      );
      return;
    }
    const unfinished = draft.current();
    if (this.route !== '' || !unfinished) return;
    const resident = roster.resident(unfinished.resident_id);
    box.append(
      h(
        'div',
        { class: 'banner' },
        h('p', null, t('draft.unfinished', { name: resident?.name || '—' })),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => this.go(draft.current()?.step || 'visit'),
            },
            t('draft.continue'),
          ),
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: () => this.discardDraft() },
            t('draft.discard'),
          ),
        ),
      ),
    );
  }

  async discardDraft() {
    // The same question as the form's own Cancel: the visit may hold the resident's signature.
    if (!confirm(t('visit.cancelConfirm'))) return;
    await draft.discard();
    if (this.route === '') this.renderBanners();
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
    const path = location.hash.replace(/^#\/?/, '').split('?')[0]; // ?office_id=… is the screen's
    let [name, ...rest] = path.split('/');
    if (!session.current() && name !== 'login') name = 'login';
    if (session.current() && name === 'login' && !status.current().authExpired) name = '';
    if (!ROUTES[name]) name = '';
    const office = session.isOffice();
    if (office && name === '') name = session.isInspector() ? 'rollup' : 'board';
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
    draft.flush(); // what the screen just left holds is written before the next one reads it
    this.route = name;
    document.body.classList.toggle('handover', name === 'rate');
    this.showUpdate();
    const view = viewFn(this, rest.map(decodeURIComponent));
    if (view.redirect !== undefined) {
      this.view = null;
      this.go(view.redirect, true);
      return;
    }
    this.view = view;
    this.shownHash = location.hash;
    clear(this.main).append(view.el);
    document.title = view.title ? `${view.title} · Rounds` : 'Rounds';
    this.strip.update();
    this.renderBanners();
    window.scrollTo(0, 0);
    view.focus ? view.focus() : this.main.focus({ preventScroll: true });
  }

  // ---- what screens ask the shell for ------------------------------------------------

  async login(username, password) {
    const { cleared } = await session.login(username, password);
    if (cleared) draft.forget();
    await status.refresh(); // a login ends "signed out by your office"

    roster.forgetOrder();
    status.setAuthExpired(false);
    // Not awaited: Firefox answers only once the worker answers its prompt, which may be never.
    // Settings says what the browser granted.
    prefs.askPersistence();
    await roster.load();
    this.go('', true);
    const first = syncing.sync();
    await this.openPendingToken(first);
  }

  async logout() {
    await session.logout();
    draft.forget();
    roster.forgetOrder();
    status.setAuthExpired(false);
    await roster.load();
    await status.refresh();
    this.go('login', true);
  }

  /** An office screen heard 401: the session is over; log in again. */
  sessionEnded() {
    status.setAuthExpired(true);
    this.go('login');
  }

  /** Begin a visit to a resident of the roster and open the visit form. */
  startVisit(residentId, { identifiedBy = 'manual', qrToken = null } = {}) {
    const resident = roster.resident(residentId);
    if (!resident) return;
    draft.start(resident, roster.unitOf(resident), { identifiedBy, qrToken });
    this.go('visit');
  }

  /** Write the finished visit (or the fixed refused one) and go back to the roster. */
  async saveVisit() {
    const visit = await draft.finish();
    await roster.recount();
    await status.refresh();
    this.go('');
    this.toast(t('saved.visit', { name: roster.resident(visit.resident_id)?.name || '' }));
    syncing.afterSave();
  }

  /** A QR link opened the app: start the visit once the roster may hold the resident. */
  async openPendingToken(syncRun) {
    const token = sessionStorage.getItem('rounds.openToken');
    if (!token) return;
    if (syncRun) await syncRun;
    sessionStorage.removeItem('rounds.openToken');
    const result = await resolveToken(token, {
      ...roster.lookups(),
      online: navigator.onLine,
      lookup: (code) => api.lookupQr(session.token(), code),
    });
    if (result.kind === 'resident')
      this.startVisit(result.resident.id, { identifiedBy: 'qr', qrToken: token });
    else this.toast(t(`scan.result.${result.kind}`), 'warn');
  }
}
