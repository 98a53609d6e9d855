// The office's targets (admins): the satisfaction target and whether 基本满意 counts as
// satisfied, and the monthly rules (activities, reception days, supervision meetings). Every
// report judged by one names it; others see them here read-only.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { formErrors } from '../../lib/form-errors.js';
import { client, screen, fmtDateTime } from '../ui.js';
import { session } from '../../state/index.js';
import { satisfactionSetting, shareOfPercent } from '../target-logic.js';

export const MONTHLY = ['activities_per_month', 'reception_days_per_month', 'meetings_per_month'];

export function targetsView(app) {
  const api = client();
  const admin = session.isAdmin();
  const view = screen(app, t('targets.title'), {
    intro: t(admin ? 'targets.intro' : 'targets.introReadOnly'),
  });
  view.start(async (fresh) => {
    const targets = await fresh(api.get('/api/v1/targets'));
    view.body.replaceChildren(targetsForm(app, api, targets, admin, () => view.reload()));
  });
  return { el: view.el, title: t('targets.title'), destroy: view.destroy };
}

function changedLine(targets, key) {
  const change = targets.updated?.[key];
  if (!change) return t('targets.default');
  return t('targets.changed', {
    when: fmtDateTime(change.updated_at),
    who: change.updated_by?.display_name || '—',
  });
}

function targetsForm(app, api, targets, admin, onSaved) {
  const share = h('input', {
    type: 'number',
    min: 0,
    max: 100,
    step: 0.1,
    inputmode: 'decimal',
    value: String(Math.round(targets.satisfaction_target * 1000) / 10),
    disabled: !admin,
  });
  const counts = h('input', {
    type: 'checkbox',
    checked: targets.basically_counts_as_satisfied,
    disabled: !admin,
  });
  const monthly = Object.fromEntries(
    MONTHLY.map((key) => [
      key,
      h('input', {
        type: 'number',
        min: 0,
        max: 31,
        step: 1,
        inputmode: 'numeric',
        value: String(targets[key]),
        disabled: !admin,
      }),
    ]),
  );
  const top = h('p', { class: 'error', role: 'alert' });
  const errors = formErrors({
    top,
    controls: { satisfaction_target: share, basically_counts_as_satisfied: counts, ...monthly },
  });
  return h(
    'form',
    {
      class: 'targets-form',
      novalidate: true,
      onsubmit: async (e) => {
        e.preventDefault();
        errors.clear();
        const target = shareOfPercent(share.value);
        if (target === null)
          return errors.show({
            codes: { satisfaction_target: [{ code: 'range', min: 0, max: 100 }] },
          });
        const body = { satisfaction_target: target, basically_counts_as_satisfied: counts.checked };
        for (const key of MONTHLY) {
          const n = Number(monthly[key].value);
          if (!Number.isInteger(n) || n < 0 || n > 31)
            return errors.show({ codes: { [key]: [{ code: 'range', min: 0, max: 31 }] } });
          body[key] = n;
        }
        try {
          await api.send('PUT', '/api/v1/targets', body);
          app.toast(t('targets.saved'));
          onSaved();
        } catch (err) {
          errors.show(err);
        }
      },
    },
    top,
    h(
      'fieldset',
      { class: 'targets-group' },
      h('legend', null, t('targets.satisfaction')),
      field(t('targets.satisfaction_target'), share, {
        hint: changedLine(targets, 'satisfaction_target'),
      }),
      h(
        'div',
        { class: 'check' },
        h('label', null, counts, h('span', null, t('targets.basically_counts_as_satisfied'))),
        h('p', { class: 'hint' }, changedLine(targets, 'basically_counts_as_satisfied')),
      ),
      h('p', { class: 'note targets-now' }, satisfactionSetting(targets)),
    ),
    h(
      'fieldset',
      { class: 'targets-group' },
      h('legend', null, t('targets.monthly')),
      MONTHLY.map((key) =>
        field(t(`targets.${key}`), monthly[key], { hint: changedLine(targets, key) }),
      ),
    ),
    admin ? h('button', { type: 'submit', class: 'btn' }, t('targets.save')) : null,
  );
}
