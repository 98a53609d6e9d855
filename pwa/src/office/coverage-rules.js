// Coverage rules in the office: the controls of one rule (a number a week, a month or a year,
// or a visit every N days), how a rule reads, and a resident's own rule on their page, which an
// admin sets or removes (docs/coverage.md, "A number a year, and a visit every N days").
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { formErrors } from '../lib/form-errors.js';
import { problemLine, errorText } from './ui.js';
import { session } from '../state/index.js';

export const RULE_PERIODS = ['week', 'month', 'year', 'days'];
const MOST = { week: 7, month: 31, year: 366 };

/**
 * The controls of one rule: days required, the period, and N for "every N days" (shown only
 * for that period). read() gives the rule as the policies API takes it.
 */
export function ruleControls(rule, extra) {
  const req = h('input', {
    type: 'number',
    min: 0,
    max: MOST[rule.period] || 7,
    inputmode: 'numeric',
    value: rule.required ?? 1,
  });
  const per = h(
    'select',
    null,
    h('option', { value: 'week' }, t('admin.perWeek')),
    h('option', { value: 'month' }, t('admin.perMonth')),
    h('option', { value: 'year' }, t('coverageRules.perYear')),
    h('option', { value: 'days' }, t('coverageRules.perDays')),
  );
  per.value = rule.period || 'week';
  const every = h('input', {
    type: 'number',
    min: 1,
    max: 366,
    inputmode: 'numeric',
    value: rule.every_days ?? 7,
  });
  const everyField = field(t('coverageRules.everyDays'), every, { required: true });
  const reqField = field(t('admin.required'), req, { required: true });
  const shape = () => {
    const days = per.value === 'days';
    everyField.hidden = !days;
    reqField.hidden = days;
    req.max = MOST[per.value] || 366;
  };
  per.addEventListener('change', shape);
  shape();
  const read = () =>
    per.value === 'days'
      ? { required: 1, period: 'days', every_days: Number(every.value) }
      : { required: Number(req.value), period: per.value };
  return { req, per, every, reqField, everyField, extra, read };
}

/** "2 a week", "6 a year", "A visit every 10 days". */
export function ruleName(rule) {
  const n = rule.period === 'days' ? rule.every_days : rule.required;
  return t(`coverageRules.rule.${rule.period}`, { n });
}

/** The rule a resident follows when they have none of their own: their care level's, else the default. */
function generalRule(policies, resident) {
  const level = policies.care_levels.find((c) => c.care_level === resident.care_level);
  return level || policies.default;
}

/**
 * The section on a resident's page: the rule they follow, and for an admin a form to give
 * them their own rule or take it away. Loads the policies itself, so the page's own load
 * does not wait for it.
 */
export function residentRuleSection(app, api, resident) {
  const box = h('div');
  const section = h(
    'section',
    { class: 'cover-rule', 'aria-labelledby': 'cover-rule-h' },
    h('h2', { id: 'cover-rule-h' }, t('coverageRules.residentTitle')),
    box,
  );
  const failed = problemLine();
  api
    .get('/api/v1/coverage/policies')
    .then((policies) => draw(policies))
    .catch((err) => {
      failed.show(err);
      box.replaceChildren(failed.el);
    });

  function draw(policies) {
    const own = policies.residents.find((r) => r.resident_id === resident.id);
    const current = own || generalRule(policies, resident);
    const said = h(
      'p',
      { class: 'cover-rule-now' },
      t(own ? 'coverageRules.own' : 'coverageRules.general', { rule: ruleName(current) }),
    );
    if (!session.isAdmin()) {
      box.replaceChildren(said, h('p', { class: 'note' }, t('coverageRules.adminOnly')));
      return;
    }
    const controls = ruleControls(current);
    const msg = h('div');
    const errors = formErrors({
      controls: {
        required: controls.req,
        period: controls.per,
        every_days: controls.every,
      },
      top: msg,
      general: errorText,
    });
    // One's own resident's rule alone: replacing every rule is the city's admin's.
    const path = `/api/v1/residents/${resident.id}/coverage-policy`;
    const send = async (mine) => {
      try {
        const saved = mine ? await api.send('PUT', path, mine) : await api.send('DELETE', path);
        app.toast(t('coverageRules.saved'));
        draw(saved);
      } catch (err) {
        errors.show(err);
      }
    };
    box.replaceChildren(
      said,
      h(
        'form',
        {
          class: 'admin-form cover-rule-form',
          novalidate: true,
          onsubmit: (e) => {
            e.preventDefault();
            send(controls.read());
          },
        },
        msg,
        h(
          'div',
          { class: 'row policy' },
          controls.reqField,
          field(t('admin.period'), controls.per, { required: true }),
          controls.everyField,
        ),
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'submit', class: 'btn' }, t('coverageRules.setOwn')),
          own
            ? h(
                'button',
                { type: 'button', class: 'btn secondary', onclick: () => send(null) },
                t('coverageRules.useGeneral'),
              )
            : null,
        ),
      ),
    );
  }
  return section;
}
