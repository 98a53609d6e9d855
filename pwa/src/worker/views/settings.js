// Settings: language, storage, the PIN lock, the account, and logging out (refused while
// records wait, unless the worker confirms losing them with the count in front of them).
import { h, field } from '../../lib/dom.js';
import { t, LANGS } from '../../lib/i18n/index.js';
import { getMeta } from '../../sync/db.js';
import { needsHomeScreenHint } from '../../lib/device.js';
import * as outbox from '../../sync/outbox.js';
import { session, prefs, syncing, lock } from '../../state/index.js';

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

  const pinBox = pinSection(app);

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
    h('h2', null, t('pin.title')),
    pinBox,
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

/** The PIN lock: set one (twice, 4–8 digits) with its idle minutes, change the minutes, or remove it. */
function pinSection(app) {
  const box = h('div', { class: 'pin' });
  const minutesSelect = (value, onchange) => {
    const select = h(
      'select',
      { onchange },
      lock.IDLE_CHOICES.map((n) => h('option', { value: String(n) }, t('pin.minutes', { n }))),
    );
    select.value = String(value);
    return select;
  };
  const pinInput = (name) =>
    h('input', {
      name,
      type: 'password',
      inputmode: 'numeric',
      autocomplete: 'new-password',
      maxlength: '8',
    });

  function drawOff() {
    const first = pinInput('pin');
    const again = pinInput('pin-again');
    const minutes = minutesSelect(5);
    const msg = h('p', { class: 'error', role: 'alert' });
    const go = h('button', { type: 'submit', class: 'btn' }, t('pin.turnOn'));
    async function onsubmit(e) {
      e.preventDefault();
      msg.textContent = '';
      go.disabled = true;
      const problem = await lock.turnOn(first.value, again.value, Number(minutes.value));
      go.disabled = false;
      if (problem) {
        msg.textContent = `⚠ ${t(problem)}`;
        return;
      }
      app.toast(t('pin.on'));
      draw();
    }
    box.replaceChildren(
      h('p', { class: 'note' }, t('pin.intro')),
      h(
        'form',
        { onsubmit, novalidate: true },
        field(t('pin.new'), first, { hint: t('pin.hint') }),
        field(t('pin.again'), again),
        field(t('pin.after'), minutes),
        msg,
        go,
      ),
    );
  }

  function drawOn() {
    const minutes = minutesSelect(lock.idleMinutes(), async (e) => {
      await lock.setIdleMinutes(Number(e.target.value));
      app.toast(t('pin.saved'));
    });
    const current = pinInput('pin-current');
    current.autocomplete = 'off';
    const msg = h('p', { class: 'error', role: 'alert' });
    async function onsubmit(e) {
      e.preventDefault();
      msg.textContent = '';
      if (!(await lock.turnOff(current.value))) {
        msg.textContent = `⚠ ${t('pin.wrong')}`;
        return;
      }
      app.toast(t('pin.off'));
      draw();
    }
    box.replaceChildren(
      h('p', null, '✓ ', t('pin.isOn')),
      field(t('pin.after'), minutes),
      h(
        'form',
        { onsubmit, novalidate: true },
        field(t('pin.current'), current),
        msg,
        h('button', { type: 'submit', class: 'btn secondary' }, t('pin.turnOff')),
      ),
    );
  }

  const draw = () => (lock.isOn() ? drawOn() : drawOff());
  draw();
  return box;
}
