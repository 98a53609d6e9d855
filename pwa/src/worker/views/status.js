// The status strip, always on top: online/offline, records waiting, last successful sync,
// any problem, and "Sync now". Words and symbols carry the meaning, colour only helps.
import { h, clear } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';

export function statusStrip(app) {
  const el = h('header', { class: 'strip' });
  const line = h('div', { class: 'strip-line', role: 'status', 'aria-live': 'polite' });
  const nav = h('nav', { class: 'strip-nav', 'aria-label': 'Rounds' });
  const action = h('div', { class: 'strip-action' });
  el.append(h('div', { class: 'strip-top' }, line, action), nav);

  function update() {
    const online = navigator.onLine;
    const { waiting, problems } = app.counts;
    const failed = app.lastAttempt && !app.lastAttempt.ok ? app.lastAttempt : null;
    if (['supervisor', 'admin'].includes(app.session?.user?.role)) {
      // The office screens need a connection and keep nothing on the device to sync.
      clear(line).append(h('span', { class: `pill ${online ? 'on' : 'off'}` }, online ? '● ' : '○ ', online ? t('status.online') : t('status.offlineOffice')),
        h('span', { class: 'pill' }, `${app.session.user.display_name || app.session.user.username} · ${t(`admin.role.${app.session.user.role}`)}`));
    } else {
    const items = [
      h('span', { class: `pill ${online ? 'on' : 'off'}` }, online ? '● ' : '○ ', online ? t('status.online') : t('status.offline')),
      h('span', { class: `pill ${waiting ? 'wait' : ''}` }, waiting ? t('status.waiting', { n: waiting }) : t('status.allSent')),
      h('span', { class: 'pill' }, app.lastSync ? t('status.lastSync', { when: fmtWhen(app.lastSync) }) : t('status.neverSynced')),
    ];
    if (app.syncing) items.push(h('span', { class: 'pill' }, '⟳ ', t('status.syncing')));
    else if (app.authExpired) items.push(h('span', { class: 'pill bad' }, '⚠ ', t('status.loginAgain')));
    else if (failed && online) items.push(h('span', { class: 'pill bad' }, '⚠ ', t(`status.fail.${failed.reason}`, { detail: failed.message || '' })));
    if (problems) items.push(h('span', { class: 'pill bad' }, '⚠ ', t('status.problems', { n: problems })));
    clear(line).append(...items);
    }

    const session = app.session;
    clear(nav);
    clear(action);
    if (!session) return;
    if (['supervisor', 'admin'].includes(session.user?.role)) {
      const link = (route, key) => h('a', { class: 'navlink', href: `#/${route}`, 'aria-current': app.route === route ? 'page' : null }, t(key));
      nav.append(
        link('board', 'nav.board'), link('history', 'nav.history'), link('alerts', 'nav.alerts'), link('followups', 'nav.followups'),
        link('satisfaction', 'nav.satisfaction'), link('activity', 'nav.activity'), link('exports', 'nav.exports'),
        link('admin', 'nav.admin'), link('settings', 'nav.settings'),
      );
      return;
    }
    action.append(
      app.authExpired
        ? h('a', { class: 'btn small', href: '#/login' }, t('status.loginButton'))
        : h('button', { type: 'button', class: 'btn small', disabled: app.syncing, onclick: () => app.sync() }, t('status.syncNow')),
    );
    nav.append(
      h('a', { class: 'navlink', href: '#/', 'aria-current': app.route === '' ? 'page' : null }, t('nav.roster')),
      h('a', { class: 'navlink', href: '#/records', 'aria-current': app.route === 'records' ? 'page' : null },
        t('nav.records'), problems ? h('span', { class: 'badge' }, ` ⚠ ${problems}`) : null),
      h('a', { class: 'navlink', href: '#/settings', 'aria-current': app.route === 'settings' ? 'page' : null }, t('nav.settings')),
    );
  }
  return { el, update };
}
