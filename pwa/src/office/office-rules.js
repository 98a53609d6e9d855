// The office's monthly rules (an activity a month, a reception day a month) as a strip: on
// the coverage board for the month holding its period, and on the reception days' screen.
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { weekRange } from '../lib/dates.js';
import { statusTag, fmtDay, errorText } from './ui.js';

/**
 * The month ('YYYY-MM') holding a coverage period: a month is itself; an ISO week is the
 * month of its Thursday, the day ISO weeks count by.
 */
export function monthOfPeriod(period) {
  if (/^\d{4}-\d{2}$/.test(period || '')) return period;
  const range = weekRange(period || '');
  if (!range) return null;
  const thursday = new Date(`${range.from}T12:00:00Z`);
  thursday.setUTCDate(thursday.getUTCDate() + 3);
  return thursday.toISOString().slice(0, 7);
}

/** What a rule says: "2 of 1 days", when it was last done, by when it is due. */
export function ruleLine(rule) {
  const parts = [t('officeRules.doneOf', { done: rule.done, required: rule.required })];
  if (rule.last_on) parts.push(t('officeRules.lastOn', { day: fmtDay(rule.last_on) }));
  if (rule.due_on) parts.push(t('officeRules.dueOn', { day: fmtDay(rule.due_on) }));
  return parts.join(' · ');
}

/** One rule as a card: its name, its status and its numbers. */
function ruleCard(rule) {
  return h(
    'li',
    { class: `office-rules-card office-rules-${rule.status}`, 'data-rule': rule.rule },
    h('span', { class: 'office-rules-name' }, t(`officeRules.rule.${rule.rule}`)),
    ' ',
    statusTag(rule.status),
    h('span', { class: 'office-rules-line' }, ruleLine(rule)),
  );
}

/** The strip, drawn from an answer of GET /api/v1/coverage/office. */
export function officeRulesList(answer) {
  return h(
    'section',
    { class: 'office-rules', 'aria-label': t('officeRules.title', { month: answer.month }) },
    h('h2', { class: 'office-rules-title' }, t('officeRules.title', { month: answer.month })),
    h('ul', { class: 'office-rules-cards' }, answer.rules.map(ruleCard)),
  );
}

/** The strip for a coverage period (and unit, '' for all), filled when the answer comes. */
export function officeRulesStrip(api, period, unitId = '') {
  const box = h('div', { class: 'office-rules-box' });
  const month = monthOfPeriod(period);
  if (!month) return box;
  api
    .get('/api/v1/coverage/office', { month, unit_id: unitId })
    .then((answer) => box.replaceChildren(officeRulesList(answer)))
    .catch((err) =>
      box.replaceChildren(h('p', { class: 'error', role: 'alert' }, '⚠ ', errorText(err))),
    );
  return box;
}
