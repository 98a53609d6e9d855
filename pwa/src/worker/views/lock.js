// The lock screen: with a PIN set it comes before anything else (the shell shows it alone,
// before reading the session, the roster or the draft). Five wrong PINs in a row make each
// further try wait, 30 s and doubling; "Forgot the PIN" removes everything from the phone
// after saying how many unsent visits that loses.
import { h } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { lock } from '../../state/index.js';
import { FREE_TRIES } from '../../sync/vault.js';

/** onUnlocked() once the right PIN was given; onForgot() once the worker chose to start over. */
export function lockView({ waiting = 0, onUnlocked, onForgot }) {
  const pin = h('input', {
    id: 'lock-pin',
    name: 'pin',
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: '8',
    required: true,
    'aria-describedby': 'lock-msg',
  });
  const msg = h('p', { class: 'error', role: 'alert', id: 'lock-msg' });
  const submit = h('button', { type: 'submit', class: 'btn big' }, t('lock.submit'));
  let timer = null;

  function waitFor(seconds) {
    clearInterval(timer);
    let left = seconds;
    const say = () => {
      submit.disabled = left > 0;
      msg.textContent = left > 0 ? `⚠ ${t('lock.wait', { s: left })}` : '';
    };
    say();
    timer = setInterval(() => {
      left -= 1;
      say();
      if (left <= 0) {
        clearInterval(timer);
        pin.focus();
      }
    }, 1000);
  }

  async function onsubmit(e) {
    e.preventDefault();
    if (submit.disabled) return;
    submit.disabled = true;
    submit.textContent = t('lock.busy');
    const answer = await lock.unlock(pin.value);
    submit.textContent = t('lock.submit');
    submit.disabled = false;
    if (answer.ok) {
      clearInterval(timer);
      onUnlocked();
      return;
    }
    pin.value = '';
    if (answer.wait > 0) waitFor(answer.wait);
    else msg.textContent = `⚠ ${t('lock.wrong', { n: Math.max(0, FREE_TRIES - answer.failures) })}`;
    pin.focus();
  }

  const forgot = h('div', { class: 'lock-forgot' });
  function drawForgot() {
    forgot.replaceChildren(
      h('button', { type: 'button', class: 'btn secondary', onclick: askForgot }, t('lock.forgot')),
    );
  }
  function askForgot() {
    const understand = h('input', { type: 'checkbox', id: 'lock-understand' });
    const go = h(
      'button',
      { type: 'button', class: 'btn danger', disabled: waiting > 0, onclick: onForgot },
      t('lock.forgotGo'),
    );
    understand.addEventListener('change', () => (go.disabled = !understand.checked));
    forgot.replaceChildren(
      h(
        'div',
        { class: 'banner warn', role: 'alert' },
        h('p', null, '⚠ ', t('lock.forgotWhat')),
        waiting > 0 ? h('p', null, t('lock.forgotLose', { n: waiting })) : null,
        waiting > 0
          ? h(
              'div',
              { class: 'check' },
              h(
                'label',
                { for: 'lock-understand' },
                understand,
                h('span', null, t('settings.logoutUnderstand', { n: waiting })),
              ),
            )
          : null,
        h(
          'div',
          { class: 'row' },
          go,
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: drawForgot },
            t('common.cancel'),
          ),
        ),
      ),
    );
  }
  drawForgot();

  const el = h(
    'main',
    { class: 'view lock', id: 'main', tabindex: '-1' },
    h('h1', null, t('lock.title')),
    h('p', { class: 'note' }, t('lock.intro')),
    h(
      'form',
      { onsubmit, novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'lock-pin' }, t('lock.pin')), pin),
      msg,
      submit,
    ),
    forgot,
  );
  lock.waitLeft().then((left) => left > 0 && waitFor(left));
  return { el, title: t('lock.title'), focus: () => pin.focus() };
}
