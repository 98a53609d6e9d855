// Pieces of the follow-up task screens shared by the task board, a task's page and the
// resident's page: tags for priority and status, the due date in words, the history, and the
// calls that change a task (each an event, as a phone sends it).
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { rfc3339, today } from '../lib/dates.js';
import { fmtDateTime, fmtDay } from './ui.js';
import { dueState, duration, eventChanges, assigneeChoices } from './task-logic.js';
import { session } from '../state/index.js';

const PRIORITY_SYMBOL = { urgent: '‼', soon: '!', routine: '·' };
const STATUS_SYMBOL = { open: '○', in_progress: '◐', done: '✓', cancelled: '✗' };

/** Priority in words with a symbol (colour only helps). */
export const priorityTag = (priority) =>
  h(
    'span',
    { class: `tag pr-${priority}` },
    h('span', { 'aria-hidden': 'true' }, `${PRIORITY_SYMBOL[priority] || ''} `),
    t(`tasks.priority.${priority}`),
  );

export const taskStatusTag = (status) =>
  h(
    'span',
    { class: `tag ts-${status}` },
    h('span', { 'aria-hidden': 'true' }, `${STATUS_SYMBOL[status] || ''} `),
    t(`tasks.status.${status}`),
  );

/** The due date, and how late or near it is while the task is open. */
export function dueText(task, day = today()) {
  const state = dueState(task, day);
  const date = fmtDay(task.due_on);
  if (state.kind === 'overdue')
    return h('span', { class: 'due-late' }, '⚠ ', t('tasks.due.late', { date, n: state.days }));
  if (state.kind === 'today') return h('span', { class: 'due-today' }, t('tasks.due.today'));
  if (state.kind === 'due') return t('tasks.due.in', { date, n: state.days });
  return date;
}

/** Hours as "5 h" / "2.5 d", or an em dash. */
export function durationText(hours) {
  const d = duration(hours);
  return d ? t(`tasks.duration.${d.unit}`, { n: d.n }) : '—';
}

/** Where a task came from, in words: the finding's name, by hand, or a discharge. */
export function sourceText(task) {
  if (task.source === 'finding' && task.finding)
    return t('tasks.source.fromFinding', { finding: t(`tasks.finding.${task.finding}`) });
  return t(`tasks.source.${task.source}`);
}

const personName = (p) => p?.display_name || p?.username || '—';

/**
 * The history: each event in order, with who, when, what and the changes it carried.
 * names maps a person's id to their name (for a reassignment's new holder).
 */
export function historyList(events, names = new Map()) {
  return h(
    'ol',
    { class: 'task-history' },
    (events || []).map((e) =>
      h(
        'li',
        { class: `ev ev-${e.kind}` },
        h(
          'p',
          { class: 'ev-head' },
          h('strong', null, t(`tasks.event.${e.kind}`)),
          ` · ${personName(e.actor)} · `,
          h('time', { datetime: e.at }, fmtDateTime(e.at)),
        ),
        eventChanges(e).map(([k, v]) =>
          h(
            'p',
            { class: 'ev-change' },
            t('tasks.labelled', { label: t(`tasks.change.${k}`), value: changeValue(k, v, names) }),
          ),
        ),
      ),
    ),
  );
}

function changeValue(key, value, names) {
  if (key === 'assignee_id') return names.get(value) || '—';
  if (key === 'due_on') return fmtDay(value);
  if (key === 'priority') return t(`tasks.priority.${value}`);
  return String(value);
}

/** The names of everyone a task's page knows of, by id. */
export function namesOf(task, people = []) {
  const names = new Map(people.map((p) => [p.id, personName(p)]));
  if (task.assignee?.id) names.set(task.assignee.id, personName(task.assignee));
  for (const e of task.events || []) if (e.actor?.id) names.set(e.actor.id, personName(e.actor));
  return names;
}

/** One change to a task from the office: an event with its own id, made now (the task is
 * the one in the path). */
export function sendEvent(api, task, kind, changes) {
  return api.send('POST', `/api/v1/tasks/${task.id}/events`, {
    id: crypto.randomUUID(),
    kind,
    at: rfc3339(new Date()),
    changes,
    visit_id: null,
  });
}

/** The people of a task's unit it may be given to: its workers, its supervisors, oneself. */
export async function unitPeople(api, unitId) {
  const me = session.current()?.user;
  let staff = [];
  try {
    staff = await api.get('/api/v1/users', { unit_id: unitId });
  } catch {
    staff = []; // the list is a help; the server judges who may hold the task
  }
  const active = staff.filter((u) => u.active !== false);
  return assigneeChoices(me?.role === 'supervisor' ? [me] : [], active);
}
