// Follow-up tasks for the office: the board of a unit (open, overdue, due this week, who holds
// what, the list with its filters, the CSV of the same list), and one task's page with its whole
// history and the supervisor's changes: reassign, reschedule, reprioritise, close with an
// outcome, cancel, add a note, reopen. Every change is an event, as a phone sends it.
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import {
  client,
  screen,
  table,
  pager,
  problemLine,
  download,
  fmtDateTime,
  fillUnitFilter,
  filterSet,
} from '../ui.js';
import {
  TASK_PRIORITIES,
  TASK_SOURCES,
  TASK_DUES,
  TASK_SORTS,
  TASK_STATUS_FILTERS,
  taskQuery,
  isOpen,
  assigneeChoices,
} from '../task-logic.js';
import {
  priorityTag,
  taskStatusTag,
  dueText,
  sourceText,
  historyList,
  namesOf,
  sendEvent,
  unitPeople,
} from '../task-parts.js';
import { session } from '../../state/index.js';

/** The board's filters, kept while the app stays open (back from a task, the same list). */
let taskFilters = null;

export function tasksView(app, [id]) {
  return id ? taskView(app, id) : boardView(app);
}

const options = (values, prefix, all) => [
  all ? h('option', { value: '' }, all) : null,
  values.map((v) => h('option', { value: v }, t(`${prefix}.${v}`))),
];

function boardView(app) {
  const api = client();
  const filters = (taskFilters ||= {
    unit: '',
    status: 'open',
    priority: '',
    assignee: '',
    due: '',
    source: '',
    sort: 'due',
    page: 1,
  });
  const units = [];
  const unitBox = h('div');
  const { refilter, select } = filterSet(filters, () => view.reload());
  const assigneeSel = select('assignee', h('option', { value: '' }, t('tasks.anyone')));
  const controls = h(
    'div',
    { class: 'row filters' },
    unitBox,
    field(t('tasks.filter.status'), select('status', options(TASK_STATUS_FILTERS, 'tasks.show'))),
    field(
      t('tasks.filter.priority'),
      select('priority', options(TASK_PRIORITIES, 'tasks.priority', t('tasks.any'))),
    ),
    field(t('tasks.filter.assignee'), assigneeSel),
    field(
      t('tasks.filter.due'),
      select('due', options(TASK_DUES, 'tasks.dueFilter', t('tasks.any'))),
    ),
    field(
      t('tasks.filter.source'),
      select('source', options(TASK_SOURCES, 'tasks.source', t('tasks.any'))),
    ),
    field(t('office.sort'), select('sort', options(TASK_SORTS, 'tasks.sort'))),
  );
  const view = screen(app, t('tasks.title'), { intro: t('tasks.intro'), controls });
  const narrow = matchMedia('(max-width: 40rem)');
  const redraw = () => view.reload();
  narrow.addEventListener('change', redraw);
  const problem = problemLine();
  const known = new Map(); // everyone seen holding a task, for the assignee filter

  function drawAssignees(counts) {
    for (const row of counts.by_assignee || [])
      if (row.assignee?.id) known.set(row.assignee.id, row.assignee);
    const people = assigneeChoices([...known.values()]);
    assigneeSel.replaceChildren(
      h('option', { value: '' }, t('tasks.anyone')),
      people.map((p) => h('option', { value: p.id }, p.display_name)),
    );
    assigneeSel.value = filters.assignee;
  }

  function countsBox(counts) {
    const stat = (key, n, cls, change) =>
      h(
        'button',
        {
          type: 'button',
          class: `stat ${cls}`,
          'aria-label': t(`tasks.count.${key}Show`, { n }),
          onclick: () => refilter(change),
        },
        h('span', { class: 'stat-n' }, String(n)),
        h('span', { class: 'stat-label' }, t(`tasks.count.${key}`)),
      );
    return h(
      'div',
      { class: 'stats', role: 'group', 'aria-label': t('tasks.countsLabel') },
      stat('open', counts.open ?? 0, '', { status: 'open', due: '' }),
      stat('overdue', counts.overdue ?? 0, counts.overdue ? 'bad' : '', {
        status: 'open',
        due: 'overdue',
      }),
      stat('week', counts.due_this_week ?? 0, '', { status: 'open', due: 'week' }),
    );
  }

  function byWorker(counts) {
    const rows = counts.by_assignee || [];
    if (!rows.length) return null;
    return table(
      t('tasks.byWorker'),
      [
        {
          label: t('tasks.assignee'),
          cell: (r) =>
            h(
              'button',
              {
                type: 'button',
                class: 'linkish',
                'aria-label': t('tasks.showFor', { name: r.assignee?.display_name || '—' }),
                onclick: () => refilter({ assignee: r.assignee?.id || '' }),
              },
              r.assignee?.display_name || '—',
            ),
        },
        { label: t('tasks.count.open'), num: true, cell: (r) => String(r.open) },
        {
          label: t('tasks.count.overdue'),
          num: true,
          cell: (r) => (r.overdue ? h('span', { class: 'due-late' }, `⚠ ${r.overdue}`) : '0'),
        },
      ],
      rows,
    );
  }

  /** On a phone each task is a card (a table of six columns would not fit); on a PC a table. */
  function cards(title, items) {
    return h(
      'section',
      { 'aria-label': title },
      h('h2', { class: 'list-title' }, title),
      h(
        'ul',
        { class: 'cards task-list' },
        items.map((x) =>
          h(
            'li',
            { class: `card${x.overdue && isOpen(x) ? ' task-late' : ''}` },
            h('p', { class: 'card-title' }, h('a', { href: `#/tasks/${x.id}` }, x.title)),
            h(
              'p',
              { class: 'tags' },
              priorityTag(x.priority),
              ' · ',
              taskStatusTag(x.status),
              ' · ',
              dueText(x),
            ),
            h(
              'p',
              { class: 'hint' },
              h('a', { href: `#/resident/${x.resident_id}` }, x.resident_name || '—'),
              ` · ${x.assignee?.display_name || '—'} · ${sourceText(x)}`,
            ),
          ),
        ),
      ),
    );
  }

  function list(answer) {
    const title = t('tasks.listTitle', { n: answer.total });
    if (!answer.items.length) return h('p', { class: 'note' }, t('tasks.none'));
    if (narrow.matches) return cards(title, answer.items);
    return table(
      title,
      [
        {
          label: t('tasks.task'),
          cell: (x) =>
            h(
              'span',
              null,
              h('a', { href: `#/tasks/${x.id}` }, x.title),
              h('span', { class: 'sub-line' }, sourceText(x)),
            ),
        },
        {
          label: t('office.resident'),
          cell: (x) => h('a', { href: `#/resident/${x.resident_id}` }, x.resident_name || '—'),
        },
        { label: t('tasks.priorityLabel'), cell: (x) => priorityTag(x.priority) },
        { label: t('tasks.statusLabel'), cell: (x) => taskStatusTag(x.status) },
        { label: t('tasks.dueLabel'), cell: (x) => dueText(x) },
        { label: t('tasks.assignee'), cell: (x) => x.assignee?.display_name || '—' },
      ],
      answer.items,
      { rowClass: (x) => (x.overdue && isOpen(x) ? 'task-late' : null) },
    );
  }

  const exportButton = h(
    'button',
    {
      type: 'button',
      class: 'btn secondary',
      onclick: () =>
        download(
          api,
          '/api/v1/tasks.csv',
          taskQuery(filters, { paged: false }),
          'rounds-tasks.csv',
          problem,
        ),
    },
    t('tasks.csv'),
  );

  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const answer = await fresh(api.get('/api/v1/tasks', taskQuery(filters)));
    const counts = answer.counts || {};
    drawAssignees(counts);
    view.body.replaceChildren(
      countsBox(counts),
      byWorker(counts) || '',
      list(answer),
      pager(
        answer,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('tasks.title'),
      ),
      h(
        'div',
        { class: 'row' },
        exportButton,
        h('a', { class: 'btn secondary', href: '#/task-report' }, t('taskReport.title')),
      ),
      problem.el,
    );
  });
  return {
    el: view.el,
    title: t('tasks.title'),
    destroy: () => {
      narrow.removeEventListener('change', redraw);
      view.destroy();
    },
  };
}

function taskView(app, id) {
  const api = client();
  const view = screen(app, t('tasks.taskTitle'));
  const heading = view.el.querySelector('h1');
  let people = [];

  function draw(task) {
    heading.textContent = task.title;
    const names = namesOf(task, people);
    view.body.replaceChildren(
      h(
        'p',
        { class: 'row' },
        h('a', { class: 'btn secondary small', href: '#/tasks' }, '‹ ', t('tasks.back')),
      ),
      h(
        'dl',
        { class: 'summary-list task-summary' },
        h('dt', null, t('office.resident')),
        h(
          'dd',
          null,
          h('a', { href: `#/resident/${task.resident_id}` }, task.resident_name || '—'),
        ),
        h('dt', null, t('tasks.statusLabel')),
        h('dd', null, taskStatusTag(task.status)),
        h('dt', null, t('tasks.priorityLabel')),
        h('dd', null, priorityTag(task.priority)),
        h('dt', null, t('tasks.dueLabel')),
        h('dd', null, dueText(task)),
        h('dt', null, t('tasks.assignee')),
        h('dd', null, task.assignee?.display_name || '—'),
        h('dt', null, t('tasks.sourceLabel')),
        h('dd', null, sourceText(task)),
        h('dt', null, t('tasks.details')),
        h('dd', { class: 'pre' }, task.details || '—'),
        h('dt', null, t('tasks.created')),
        h('dd', null, fmtDateTime(task.created_at)),
        task.outcome ? h('dt', null, t('tasks.outcome')) : null,
        task.outcome ? h('dd', { class: 'pre' }, task.outcome) : null,
        task.closed_at ? h('dt', null, t('tasks.closedAt')) : null,
        task.closed_at ? h('dd', null, fmtDateTime(task.closed_at)) : null,
      ),
      // An inspector reads a task's record; changing it is the office's.
      session.isInspector() ? null : isOpen(task) ? actions(task) : reopenForm(task),
      h('h2', null, t('tasks.history', { n: (task.events || []).length })),
      historyList(task.events, names),
    );
  }

  /** A small form that sends one event; on success the page shows the answer's task. */
  function actionForm({ summary, control, label, button, cls = 'btn', event, open = false }) {
    const msg = problemLine();
    return h(
      'details',
      { class: 'task-action', open },
      h('summary', null, summary),
      h(
        'form',
        {
          onsubmit: async (e) => {
            e.preventDefault();
            const made = event();
            if (typeof made === 'string') return msg.show(made);
            const submit = e.target.querySelector('button[type=submit]');
            submit.disabled = true;
            try {
              const task = await sendEvent(api, current, made.kind, made.changes);
              app.toast(t(`tasks.done.${made.kind}`));
              current = task;
              draw(task);
            } catch (err) {
              msg.show(err);
              submit.disabled = false;
            }
          },
        },
        field(label, control),
        h('button', { type: 'submit', class: cls }, button),
        msg.el,
      ),
    );
  }

  function actions(task) {
    const outcome = h('textarea', { rows: 3, maxlength: 2000 });
    const cancelWhy = h('textarea', { rows: 2, maxlength: 2000 });
    const note = h('textarea', { rows: 2, maxlength: 2000 });
    const due = h('input', { type: 'date', value: task.due_on || '' });
    const prio = h(
      'select',
      null,
      TASK_PRIORITIES.map((p) => h('option', { value: p }, t(`tasks.priority.${p}`))),
    );
    prio.value = task.priority;
    const who = h(
      'select',
      null,
      people.map((p) => h('option', { value: p.id }, p.display_name)),
    );
    who.value = task.assignee?.id || '';
    const text = (el) => el.value.trim();
    return h(
      'div',
      { class: 'task-actions' },
      h('h2', null, t('tasks.actions')),
      actionForm({
        summary: t('tasks.close'),
        open: true,
        control: outcome,
        label: t('tasks.outcomeLabel'),
        button: t('tasks.closeSubmit'),
        event: () =>
          text(outcome)
            ? { kind: 'closed', changes: { outcome: text(outcome) } }
            : t('tasks.needOutcome'),
      }),
      actionForm({
        summary: t('tasks.reassign'),
        control: who,
        label: t('tasks.assignTo'),
        button: t('tasks.reassignSubmit'),
        event: () =>
          !who.value
            ? t('tasks.needAssignee')
            : who.value === task.assignee?.id
              ? t('tasks.sameAssignee')
              : { kind: 'reassigned', changes: { assignee_id: who.value } },
      }),
      actionForm({
        summary: t('tasks.reschedule'),
        control: due,
        label: t('tasks.newDue'),
        button: t('tasks.rescheduleSubmit'),
        event: () =>
          !due.value
            ? t('tasks.needDue')
            : due.value === task.due_on
              ? t('tasks.sameDue')
              : { kind: 'rescheduled', changes: { due_on: due.value } },
      }),
      actionForm({
        summary: t('tasks.reprioritise'),
        control: prio,
        label: t('tasks.priorityLabel'),
        button: t('tasks.reprioritiseSubmit'),
        event: () =>
          prio.value === task.priority
            ? t('tasks.samePriority')
            : { kind: 'reprioritised', changes: { priority: prio.value } },
      }),
      actionForm({
        summary: t('tasks.addNote'),
        control: note,
        label: t('tasks.noteLabel'),
        button: t('tasks.noteSubmit'),
        event: () =>
          text(note) ? { kind: 'noted', changes: { note: text(note) } } : t('tasks.needNote'),
      }),
      actionForm({
        summary: t('tasks.cancel'),
        control: cancelWhy,
        label: t('tasks.cancelWhy'),
        button: t('tasks.cancelSubmit'),
        cls: 'btn danger',
        event: () =>
          text(cancelWhy)
            ? { kind: 'cancelled', changes: { outcome: text(cancelWhy) } }
            : t('tasks.needCancelWhy'),
      }),
    );
  }

  function reopenForm() {
    const note = h('textarea', { rows: 2, maxlength: 2000 });
    return h(
      'div',
      { class: 'task-actions' },
      actionForm({
        summary: t('tasks.reopen'),
        control: note,
        label: t('tasks.reopenWhy'),
        button: t('tasks.reopenSubmit'),
        cls: 'btn secondary',
        event: () =>
          note.value.trim()
            ? { kind: 'reopened', changes: { note: note.value.trim() } }
            : t('tasks.needReopenWhy'),
      }),
    );
  }

  let current = null;
  view.start(async (fresh) => {
    const task = await fresh(api.get(`/api/v1/tasks/${id}`));
    people = await fresh(unitPeople(api, task.unit_id));
    if (task.assignee?.id && !people.some((p) => p.id === task.assignee.id))
      people = assigneeChoices(people, [task.assignee]);
    current = task;
    draw(task);
  });
  return { el: view.el, title: t('tasks.taskTitle'), destroy: view.destroy };
}
