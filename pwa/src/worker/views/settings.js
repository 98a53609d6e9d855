// Settings: language, storage, the account, and logging out (refused while records wait,
// unless the worker confirms losing them with the count in front of them).
import { h, field } from '../../lib/dom.js';
import { t, LANGS } from '../../lib/i18n/index.js';
import { getMeta } from '../../sync/db.js';
import { needsHomeScreenHint } from '../../lib/device.js';
import * as outbox from '../../sync/outbox.js';
import { session, prefs, syncing } from '../../state/index.js';

/** Logging out is the shell's app.logout(): it forgets the worker's data and opens the login. */
export function settingsView(app) {
  const user = session.current()?.user || {};
  const select = h(
    'select',
    { onchange: (e) => prefs.setLanguage(e.target.value) },
    h('option', { value: '' }, t('settings.langAuto')),
    LANGS.map((l) => h('option', { value: l, lang: l }, t('lang.self', null, l))),
  );
  select.value = prefs.language() || '';

  const storageText = h('p', { role: 'status' }, storageLine(prefs.storageState()));
  const storageBtn = h(
    'button',
    {
      type: 'button',
      class: 'btn secondary',
      hidden: prefs.storageState() === 'granted',
      onclick: async () => {
        const storage = await prefs.askPersistence();
        storageText.textContent = storageLine(storage);
        storageBtn.hidden = storage === 'granted';
      },
    },
    t('settings.storageAsk'),
  );

  const logoutBox = h('div', { class: 'logout' });
  function drawLogout() {
    logoutBox.replaceChildren(
      h(
        'button',
        { type: 'button', class: 'btn danger', onclick: askLogout },
        t('settings.logout'),
      ),
    );
  }
  async function askLogout() {
    const { total } = await outbox.counts();
    const draft = await getMeta('draft');
    if (!total && !draft) {
      if (confirm(t('settings.logoutConfirm'))) await app.logout();
      return;
    }
    const understand = h('input', { type: 'checkbox', id: 'logout-understand' });
    const go = h(
      'button',
      { type: 'button', class: 'btn danger', disabled: true, onclick: () => app.logout() },
      t('settings.logoutLose', { n: total }),
    );
    understand.addEventListener('change', () => (go.disabled = !understand.checked));
    logoutBox.replaceChildren(
      h(
        'div',
        { class: 'banner warn', role: 'alert' },
        h('p', null, '⚠ ', t('settings.logoutRefused', { n: total })),
        h('p', null, t('settings.logoutSyncFirst')),
        h(
          'div',
          { class: 'check' },
          h(
            'label',
            { for: 'logout-understand' },
            understand,
            h('span', null, t('settings.logoutUnderstand', { n: total })),
          ),
        ),
        h(
          'div',
          { class: 'row' },
          go,
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => {
                syncing.sync();
                drawLogout();
              },
            },
            t('status.syncNow'),
          ),
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: drawLogout },
            t('common.cancel'),
          ),
        ),
      ),
    );
  }
  drawLogout();

  const el = h(
    'section',
    { class: 'view settings' },
    h('h1', null, t('settings.title')),
    field(t('settings.language'), select),
    h('h2', null, t('settings.storage')),
    storageText,
    storageBtn,
    needsHomeScreenHint() ? h('p', { class: 'banner' }, t('storage.iosHint')) : null,
    h('h2', null, t('settings.account')),
    h(
      'dl',
      { class: 'summary-list' },
      h('dt', null, t('settings.user')),
      h('dd', null, `${user.display_name || ''} (${user.username || ''})`),
      h('dt', null, t('settings.units')),
      h('dd', null, (user.units || []).map((u) => u.name).join(', ') || '—'),
      h('dt', null, t('settings.version')),
      h('dd', null, __APP_VERSION__),
    ),
    logoutBox,
  );
  return { el, title: t('settings.title') };
}

function storageLine(state) {
  return state === 'granted'
    ? `✓ ${t('storage.granted')}`
    : state === 'denied'
      ? `⚠ ${t('storage.denied')}`
      : t('storage.unknown');
}
