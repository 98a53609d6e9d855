// The rules by which a synced visit's findings raise follow-up tasks (admins): for each finding
// whether it raises one, how urgent, due in how many days, and to whom it goes.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, problemLine, fmtDateTime } from '../ui.js';
import { TASK_FINDINGS, TASK_PRIORITIES, TASK_ASSIGN_TO } from '../task-logic.js';

export function taskRulesView(app) {
  const api = client();
  const view = screen(app, t('taskRules.title'), {
    intro: t('taskRules.intro'),
    controls: h(
      'p',
      { class: 'row' },
      h('a', { class: 'btn secondary small', href: '#/admin' }, '‹ ', t('admin.title')),
    ),
  });

  function ruleCard(rule) {
    const name = t(`tasks.finding.${rule.finding}`);
    const enabled = h('input', { type: 'checkbox', checked: rule.enabled });
    const priority = h(
      'select',
      null,
      TASK_PRIORITIES.map((p) => h('option', { value: p }, t(`tasks.priority.${p}`))),
    );
    priority.value = rule.priority;
    const days = h('input', {
      type: 'number',
      min: 0,
      max: 90,
      step: 1,
      inputmode: 'numeric',
      value: String(rule.due_days),
      required: true,
    });
    const assign = h(
      'select',
      null,
      TASK_ASSIGN_TO.map((a) => h('option', { value: a }, t(`taskRules.assign.${a}`))),
    );
    assign.value = rule.assign_to;
    const msg = problemLine();
    const saved = h('p', { class: 'hint', role: 'status' }, savedLine(rule));
    const toggleAll = () => {
      for (const el of [priority, days, assign]) el.disabled = !enabled.checked;
    };
    enabled.addEventListener('change', toggleAll);
    toggleAll();
    return h(
      'li',
      { class: 'card rule-card' },
      h(
        'form',
        {
          'aria-label': name,
          // Our own words for a wrong number, next to the rule, in the app's language.
          novalidate: true,
          onsubmit: async (e) => {
            e.preventDefault();
            const n = Number(days.value);
            if (!Number.isInteger(n) || n < 0 || n > 90) return msg.show(t('taskRules.daysRange'));
            try {
              const answer = await api.send('PUT', `/api/v1/task-rules/${rule.finding}`, {
                enabled: enabled.checked,
                priority: priority.value,
                due_days: n,
                assign_to: assign.value,
              });
              Object.assign(rule, answer || {});
              saved.textContent = savedLine(rule);
              msg.show(null);
              app.toast(t('taskRules.saved', { finding: name }));
            } catch (err) {
              msg.show(err);
            }
          },
        },
        h('h2', { class: 'card-title' }, name),
        h('p', { class: 'hint' }, t(`taskRules.when.${rule.finding}`)),
        h(
          'div',
          { class: 'check' },
          h('label', null, enabled, h('span', null, t('taskRules.enabled'))),
        ),
        h(
          'div',
          { class: 'row' },
          field(t('tasks.priorityLabel'), priority),
          field(t('taskRules.dueDays'), days, { hint: t('taskRules.dueDaysHint') }),
          field(t('taskRules.assignTo'), assign),
        ),
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            {
              type: 'submit',
              class: 'btn',
              'aria-label': t('taskRules.saveFor', { finding: name }),
            },
            t('taskRules.save'),
          ),
        ),
        saved,
        msg.el,
      ),
    );
  }

  view.start(async (fresh) => {
    const rules = await fresh(api.get('/api/v1/task-rules'));
    const list = Array.isArray(rules) ? rules : rules.items || [];
    const order = (r) => TASK_FINDINGS.indexOf(r.finding);
    view.body.replaceChildren(
      h(
        'ul',
        { class: 'cards rules' },
        [...list].sort((a, b) => order(a) - order(b)).map(ruleCard),
      ),
    );
  });
  return { el: view.el, title: t('taskRules.title'), destroy: view.destroy };
}

function savedLine(rule) {
  return rule.updated_at ? t('taskRules.updated', { when: fmtDateTime(rule.updated_at) }) : '';
}
