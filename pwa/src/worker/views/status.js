// The status strip, always on top: online/offline, records waiting, last successful sync,
// any problem, and "Sync now". Words and symbols carry the meaning, colour only helps.
// It reads state/status and state/session; the shell calls update() when they change.
import { h, clear } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';
import { session, status, syncing as syncState } from '../../state/index.js';
import { ownOrganisationName } from '../../office/offices.js';

const LINK_CLASS = { online: 'on', offline: 'off', connecting: 'wait', unreachable: 'off' };

export function statusStrip({ currentRoute, onSyncNow }) {
  const el = h('header', { class: 'strip' });
  const line = h('div', { class: 'strip-line', role: 'status', 'aria-live': 'polite' });
  const nav = h('nav', { class: 'strip-nav', 'aria-label': 'Rounds' });
  const action = h('div', { class: 'strip-action' });
  el.append(h('div', { class: 'strip-top' }, line, action), nav);
  const organisation = { token: null, name: '' }; // where the office's person works

  function organisationName() {
    const token = session.token();
    if (organisation.token !== token) {
      organisation.token = token;
      organisation.name = '';
      ownOrganisationName().then((name) => {
        if (organisation.token !== token || !name) return;
        organisation.name = name;
        update();
      });
    }
    return organisation.name;
  }

  function update() {
    const online = navigator.onLine;
    const { counts, lastSync, lastAttempt, authExpired, syncing, backAt } = status.current();
    const taskCounts = status.current().tasks;
    const { waiting, problems } = counts;
    const link = status.connection({
      online,
      attempt: lastAttempt,
      syncing,
      retrying: syncState.isRetrying(),
      backAt,
    });
    const user = session.current()?.user;
    const route = currentRoute();
    if (session.isOffice()) {
      // The office screens need a connection and keep nothing on the device to sync.
      clear(line).append(
        h(
          'span',
          { class: `pill ${online ? 'on' : 'off'}` },
          online ? '● ' : '○ ',
          online ? t('status.online') : t('status.offlineOffice'),
        ),
        h(
          'span',
          { class: 'pill' },
          `${user.display_name || user.username} · ${t(`admin.role.${user.role}`)}`,
        ),
        ...(organisationName()
          ? [h('span', { class: 'pill levels-org' }, organisationName())]
          : []),
      );
    } else {
      const items = [
        h(
          'span',
          { class: `pill ${LINK_CLASS[link.state]}` },
          link.state === 'online' ? '● ' : '○ ',
          t(`status.${link.state}`),
          link.retrying ? ` · ${t('status.retrying')}` : '',
        ),
        h(
          'span',
          { class: `pill ${waiting ? 'wait' : ''}` },
          waiting ? t('status.waiting', { n: waiting }) : t('status.allSent'),
        ),
        h(
          'span',
          { class: 'pill' },
          lastSync ? t('status.lastSync', { when: fmtWhen(lastSync) }) : t('status.neverSynced'),
        ),
      ];
      if (syncing) items.push(h('span', { class: 'pill' }, '⟳ ', t('status.syncing')));
      else if (authExpired)
        items.push(h('span', { class: 'pill bad' }, '⚠ ', t('status.loginAgain')));
      else if (link.failure)
        items.push(
          h(
            'span',
            { class: 'pill bad' },
            '⚠ ',
            t(`status.fail.${link.failure}`, { detail: lastAttempt.message || '' }),
          ),
        );
      if (problems)
        items.push(h('span', { class: 'pill bad' }, '⚠ ', t('status.problems', { n: problems })));
      clear(line).append(...items);
    }

    clear(nav);
    clear(action);
    if (!session.current()) return;
    if (session.isOffice()) {
      const link = (to, key) =>
        h(
          'a',
          { class: 'navlink', href: `#/${to}`, 'aria-current': route === to ? 'page' : null },
          t(key),
        );
      // The day's work first, then the supervision ledgers, then what is read and printed,
      // then setting up.
      nav.append(
        link('board', 'nav.board'),
        link('tasks', 'nav.tasks'),
        link('cases', 'nav.cases'),
        link('alerts', 'nav.alerts'),
        link('conflicts', 'nav.conflicts'),
        link('followups', 'nav.followups'),
        link('reviews', 'reviews.nav'),
        link('meetings', 'meetings.nav'),
        link('samples', 'samples.nav'),
        link('activities', 'activities.nav'),
        link('reception', 'reception.nav'),
        link('rollup', 'rollup.nav'),
        link('history', 'nav.history'),
        link('satisfaction', 'nav.satisfaction'),
        link('activity', 'nav.activity'),
        link('review-report', 'reviews.report.nav'),
        ...(session.isAdmin() || session.isInspector()
          ? [link('evaluations', 'evaluation.nav')]
          : []),
        link('exports', 'nav.exports'),
        ...(session.isInspector() ? [] : [link('admin', 'nav.admin')]),
        link('office', 'officeFacts.nav'),
        ...(session.isAdmin() ? [link('organisations', 'levels.nav')] : []),
        ...(session.isAdmin() ? [link('targets', 'targets.nav')] : []),
        link('settings', 'nav.settings'),
      );
      return;
    }
    action.append(
      authExpired
        ? h('a', { class: 'btn small', href: '#/login' }, t('status.loginButton'))
        : h(
            'button',
            { type: 'button', class: 'btn small', disabled: syncing, onclick: () => onSyncNow() },
            t('status.syncNow'),
          ),
    );
    nav.append(
      h(
        'a',
        { class: 'navlink', href: '#/', 'aria-current': route === '' ? 'page' : null },
        t('nav.roster'),
      ),
      h(
        'a',
        {
          class: 'navlink',
          href: '#/my-tasks',
          'aria-current': route === 'my-tasks' || route === 'my-task' ? 'page' : null,
        },
        t('nav.myTasks'),
        taskCounts.overdue
          ? h(
              'span',
              { class: 'badge', title: t('nav.myTasksOverdue', { n: taskCounts.overdue }) },
              ` ⚠ ${taskCounts.overdue}`,
              h(
                'span',
                { class: 'sr-only' },
                ` ${t('nav.myTasksOverdue', { n: taskCounts.overdue })}`,
              ),
            )
          : null,
      ),
      h(
        'a',
        {
          class: 'navlink',
          href: '#/my-cases',
          'aria-current': ['my-cases', 'my-case', 'my-case-open'].includes(route) ? 'page' : null,
        },
        t('nav.myCases'),
      ),
      h(
        'a',
        {
          class: 'navlink',
          href: '#/my-activities',
          'aria-current': String(route).startsWith('my-activit') ? 'page' : null,
        },
        t('myActivities.nav'),
      ),
      h(
        'a',
        {
          class: 'navlink',
          href: '#/records',
          'aria-current': route === 'records' ? 'page' : null,
        },
        t('nav.records'),
        problems ? h('span', { class: 'badge' }, ` ⚠ ${problems}`) : null,
      ),
      h(
        'a',
        {
          class: 'navlink',
          href: '#/settings',
          'aria-current': route === 'settings' ? 'page' : null,
        },
        t('nav.settings'),
      ),
    );
  }
  return { el, update };
}
