// Log in once while online; later opens go straight to the roster.
import { h, field } from '../../lib/dom.js';
import { formErrors, requiredLegend } from '../../lib/form-errors.js';
import { t } from '../../lib/i18n/index.js';
import { session, status } from '../../state/index.js';

/** Logging in is the shell's app.login(username, password): it opens the roster after. */
export function loginView(app) {
  const again = Boolean(session.current() && status.current().authExpired);
  const user = h('input', {
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    value: again ? session.current().user.username : '',
  });
  const pass = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const msg = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({ controls: { username: user, password: pass }, top: msg });
  const submit = h('button', { type: 'submit', class: 'btn big' }, t('login.submit'));

  async function onsubmit(e) {
    e.preventDefault();
    errors.clear();
    const empty = [
      ['username', user.value.trim()],
      ['password', pass.value],
    ].filter(([, v]) => !v);
    if (empty.length) {
      errors.show({ codes: Object.fromEntries(empty.map(([k]) => [k, [{ code: 'required' }]])) });
      return;
    }
    if (!navigator.onLine) {
      msg.textContent = `⚠ ${t('login.needOnline')}`;
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      await app.login(user.value.trim(), pass.value);
    } catch (err) {
      const status = err?.status;
      if (status === 422 && err.errors) errors.show(err);
      else
        msg.textContent = `⚠ ${
          status === 401
            ? t('login.wrong')
            : status === 429
              ? t('login.tooMany', { s: err.retryAfter || 60 })
              : status === 409
                ? err.message
                : status === 0
                  ? t('login.needOnline')
                  : t('login.failed', { detail: err?.message || '' })
        }`;
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  }

  const el = h(
    'section',
    { class: 'view login' },
    h('h1', null, again ? t('login.againTitle') : t('login.title')),
    again
      ? h('p', { class: 'note' }, t('login.againNote', { n: status.current().counts.total }))
      : h('p', { class: 'note' }, t('login.intro')),
    h(
      'form',
      { onsubmit, novalidate: true },
      requiredLegend(),
      field(t('login.username'), user, { required: true }),
      field(t('login.password'), pass, { required: true }),
      msg,
      submit,
    ),
  );
  return { el, title: t('login.title'), focus: () => (again ? pass : user).focus() };
}
