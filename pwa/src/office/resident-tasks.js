// A resident's follow-up tasks on their office page: open ones first, each with its history
// (read when it is opened), and a form that raises a new task for them.
import { h, field } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { addDays, rfc3339, today } from '../lib/dates.js';
import { problemLine } from './ui.js';
import { openFirst, isOpen, TASK_PRIORITIES } from './task-logic.js';
import {
  priorityTag,
  taskStatusTag,
  dueText,
  sourceText,
  historyList,
  namesOf,
  unitPeople,
} from './task-parts.js';
import { session } from '../state/index.js';

/** The tasks of a resident, all statuses (the newest 50), open ones first. */
export async function loadResidentTasks(api, residentId) {
  const answer = await api.get('/api/v1/tasks', {
    resident_id: residentId,
    sort: 'due',
    page: 1,
    per_page: 50,
  });
  return { items: openFirst(answer.items || []), total: answer.total ?? 0 };
}

/** The section: a heading, "new task", and one card per task. onChange() reloads the page. */
export function residentTasksSection(app, api, resident, tasks, onChange) {
  const open = tasks.items.filter(isOpen).length;
  return h(
    'section',
    { class: 'resident-tasks', 'aria-labelledby': 'resident-tasks-h' },
    h('h2', { id: 'resident-tasks-h' }, t('tasks.residentTitle', { open, n: tasks.total })),
    newTaskForm(app, api, resident, onChange),
    tasks.items.length
      ? h(
          'ul',
          { class: 'cards' },
          tasks.items.map((task) => taskCard(api, task)),
        )
      : h('p', { class: 'note' }, t('tasks.noneForResident')),
  );
}

function taskCard(api, task) {
  const history = h('div', null, h('p', { class: 'note' }, t('tasks.loading')));
  let loaded = false;
  const msg = problemLine();
  return h(
    'li',
    { class: `card task-card${isOpen(task) ? '' : ' closed'}` },
    h('p', { class: 'card-title' }, h('a', { href: `#/tasks/${task.id}` }, task.title)),
    h(
      'p',
      { class: 'tags' },
      taskStatusTag(task.status),
      ' · ',
      priorityTag(task.priority),
      ' · ',
      dueText(task),
    ),
    h('p', { class: 'hint' }, `${sourceText(task)} · ${task.assignee?.display_name || '—'}`),
    task.outcome
      ? h('p', null, t('tasks.labelled', { label: t('tasks.outcome'), value: task.outcome }))
      : null,
    h(
      'details',
      {
        ontoggle: async (e) => {
          if (!e.target.open || loaded) return;
          loaded = true;
          try {
            const full = await api.get(`/api/v1/tasks/${task.id}`);
            history.replaceChildren(historyList(full.events, namesOf(full)));
          } catch (err) {
            loaded = false;
            history.replaceChildren();
            msg.show(err);
          }
        },
      },
      h('summary', null, t('tasks.historyOf', { title: task.title })),
      history,
    ),
    msg.el,
  );
}

function newTaskForm(app, api, resident, onChange) {
  if (session.isInspector()) return null; // tasks are raised by the office
  const title = h('input', { type: 'text', maxlength: 200 });
  const details = h('textarea', { rows: 3, maxlength: 2000 });
  const priority = h(
    'select',
    null,
    TASK_PRIORITIES.map((p) => h('option', { value: p }, t(`tasks.priority.${p}`))),
  );
  priority.value = 'routine';
  const due = h('input', { type: 'date', value: addDays(today(), 7) });
  const who = h('select');
  const msg = problemLine();
  let peopleLoaded = false;
  async function loadPeople() {
    if (peopleLoaded) return;
    peopleLoaded = true;
    const people = await unitPeople(api, resident.unit_id);
    const me = session.current()?.user;
    who.replaceChildren(...people.map((p) => h('option', { value: p.id }, p.display_name)));
    if (people.some((p) => p.id === me?.id)) who.value = me.id;
  }
  return h(
    'details',
    { class: 'task-action new-task', ontoggle: (e) => e.target.open && loadPeople() },
    h('summary', null, t('tasks.new')),
    h(
      'form',
      {
        onsubmit: async (e) => {
          e.preventDefault();
          if (!title.value.trim()) return msg.show(t('tasks.needTitle'));
          if (!due.value) return msg.show(t('tasks.needDue'));
          const submit = e.target.querySelector('button[type=submit]');
          submit.disabled = true;
          try {
            await api.send('POST', '/api/v1/tasks', {
              id: crypto.randomUUID(),
              resident_id: resident.id,
              title: title.value.trim(),
              details: details.value.trim(),
              priority: priority.value,
              due_on: due.value,
              assignee_id: who.value || null,
              visit_id: null,
              created_at: rfc3339(new Date()),
            });
            app.toast(t('tasks.createdFor', { name: resident.name }));
            onChange();
          } catch (err) {
            msg.show(err);
            submit.disabled = false;
          }
        },
      },
      field(t('tasks.titleLabel'), title),
      field(t('tasks.details'), details),
      h(
        'div',
        { class: 'row' },
        field(t('tasks.priorityLabel'), priority),
        field(t('tasks.dueLabel'), due),
        field(t('tasks.assignTo'), who),
      ),
      h('button', { type: 'submit', class: 'btn' }, t('tasks.create')),
      msg.el,
    ),
  );
}
