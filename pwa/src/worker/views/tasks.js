// My tasks: the worker's open follow-up tasks, due first and urgent first, overdue said in
// words; and one task's screen: what, for whom, where it came from, its history on this phone,
// and start / add a note / close with an outcome / reschedule. All of it works offline: each
// change is an event in the outbox (state/tasks.js). The list is plain DOM, one small row per
// task, so 200 of them draw at once on a slow phone.
import { h, append, clear, field, icon } from '../../lib/dom.js';
import { t, lang, fmtWhen } from '../../lib/i18n/index.js';
import { today } from '../../lib/dates.js';
import * as outbox from '../../sync/outbox.js';
import { roster, tasks } from '../../state/index.js';

const PRIORITY_ICON = { urgent: '‼', soon: '!', routine: '·' };
const formats = new Map();
const days = new Map(); // `${lang} ${day}` -> its text: a list has a few due days, many rows

/** A due day ('YYYY-MM-DD') as "Wed, Nov 25" / "11月25日周三", with one formatter per language. */
export function fmtDay(day, l = lang()) {
  const key = `${l} ${day}`;
  let text = days.get(key);
  if (text === undefined) {
    text = formatDay(day, l);
    days.set(key, text);
  }
  return text;
}

function formatDay(day, l) {
  if (!formats.has(l))
    formats.set(
      l,
      new Intl.DateTimeFormat(l, {
        month: 'short',
        day: 'numeric',
        weekday: 'short',
        timeZone: 'UTC',
      }),
    );
  return formats.get(l).format(new Date(`${day}T00:00:00Z`));
}

/** "Overdue · due Mon 23 Nov", "Due today", "Due Wed 25 Nov". */
export function dueText(task, day = today()) {
  if (task.due_on < day) return t('myTasks.overdueSince', { date: fmtDay(task.due_on) });
  if (task.due_on === day) return t('myTasks.dueToday');
  return t('myTasks.due', { date: fmtDay(task.due_on) });
}

export const residentName = (task) =>
  roster.resident(task.resident_id)?.name || task.resident_name || t('visit.unknownResident');

/** The priority as a tag: symbol and word (colour only helps). */
export const priorityTag = (priority) =>
  h(
    'span',
    { class: `tag prio ${priority}` },
    icon(PRIORITY_ICON[priority]),
    ` ${t(`myTasks.priority.${priority}`)}`,
  );

/** One task's row: resident, title, due; a link to its screen. */
function taskRow(task, day) {
  const overdue = task.due_on < day;
  const due = dueText(task, day);
  return h(
    'li',
    null,
    h(
      'a',
      {
        class: `task-row${overdue ? ' overdue' : ''}`,
        href: `#/my-task/${task.id}`,
        'aria-label': [
          task.title,
          residentName(task),
          due,
          t(`myTasks.priority.${task.priority}`),
          task.status === 'in_progress' ? t('myTasks.status.in_progress') : null,
        ]
          .filter(Boolean)
          .join(', '),
      },
      h('span', { class: 't-title' }, task.title),
      priorityTag(task.priority),
      h('span', { class: 't-who' }, residentName(task)),
      h(
        'span',
        { class: `t-due${overdue ? ' overdue' : ''}` },
        overdue ? icon('⚠ ') : null,
        due,
        task.status === 'in_progress' ? ` · ${t('myTasks.status.in_progress')}` : '',
      ),
    ),
  );
}

/** The list of the worker's open tasks. */
export function tasksView() {
  let started = performance.now(); // the screen measures itself (bench/pwa_budget.py)
  const summary = h('p', { class: 'summary', role: 'status' });
  const list = h('ul', { class: 'my-task-list' });
  const el = h(
    'section',
    { class: 'view tasks' },
    h('h1', null, t('myTasks.title')),
    summary,
    list,
  );

  let ticket = 0;
  async function draw() {
    const mine = ++ticket;
    const open = await tasks.mine();
    if (mine !== ticket) return;
    performance.measure('tasks-read', { start: started, end: performance.now() });
    const day = today();
    const overdue = open.filter((task) => task.due_on < day).length;
    summary.textContent = open.length
      ? t('myTasks.summary', { n: open.length, overdue })
      : t('myTasks.none');
    const frag = document.createDocumentFragment();
    for (const task of open) frag.append(taskRow(task, day));
    list.replaceChildren(frag);
    el.dataset.count = String(open.length);
    performance.measure('tasks-list', { start: started, end: performance.now() });
  }
  draw();
  const refresh = () => {
    started = performance.now();
    return draw();
  };
  return { el, title: t('myTasks.title'), refresh };
}

/** What an event says, in a line of history. */
function eventLine(event) {
  const c = event.changes || {};
  const detail =
    c.outcome || c.note || (c.due_on ? t('myTasks.newDue', { date: fmtDay(c.due_on) }) : '');
  return h(
    'li',
    null,
    h('span', { class: 'ev-kind' }, t(`myTasks.event.${event.kind}`)),
    event.visit_id ? ` · ${t('myTasks.duringVisit')}` : '',
    ` · ${fmtWhen(event.at)}`,
    event.state && event.state !== 'synced'
      ? h(
          'span',
          { class: 'hint' },
          ` · ${t(event.state === 'pending' ? 'myTasks.waiting' : 'myTasks.refused')}`,
        )
      : '',
    detail ? h('p', { class: 'ev-detail' }, detail) : null,
  );
}

/** Where the task came from: a finding of a visit, a person's hand, a discharge, a case's
 * plan or risk, a supervision meeting's decision. */
async function sourceText(task) {
  let visitDay = null;
  if (task.visit_id) {
    const kept = await outbox.syncedVisit(task.visit_id);
    const waiting = kept ? null : await outbox.get(task.visit_id);
    const at = kept?.payload.checked_in_at || waiting?.payload?.checked_in_at;
    if (at) visitDay = fmtWhen(at);
  }
  if (task.source === 'finding')
    return t(visitDay ? 'myTasks.source.findingOn' : 'myTasks.source.finding', {
      finding: t(`myTasks.finding.${task.finding}`),
      when: visitDay,
    });
  if (task.source === 'discharge') return t('myTasks.source.discharge');
  if (task.source === 'case') return t('myTasks.source.case');
  if (task.source === 'meeting') return t('myTasks.source.meeting');
  return task.visit_id
    ? t(visitDay ? 'myTasks.source.manualVisitOn' : 'myTasks.source.manualVisit', {
        when: visitDay,
      })
    : t('myTasks.source.manual');
}

/** One task: details, source, history, and what the worker can do with it. */
export function taskView(app, [id]) {
  const el = h('section', { class: 'view task' });
  const body = h('div');
  el.append(body);

  async function draw(focusHeading = false) {
    const task = await tasks.get(id);
    if (!task) {
      append(
        clear(body),
        h('h1', null, t('myTasks.gone')),
        h('a', { class: 'btn', href: '#/my-tasks' }, t('myTasks.back')),
      );
      return;
    }
    const [events, source] = await Promise.all([tasks.history(id), sourceText(task)]);
    const open = task.status === 'open' || task.status === 'in_progress';
    const day = today();
    const assignee = tasks.isMine(task)
      ? t('myTasks.assignee.me')
      : task.assignee?.display_name || '—';
    const heading = h('h1', { tabindex: '-1' }, task.title);
    const facts = [
      [t('myTasks.resident'), residentName(task)],
      [t('myTasks.priority'), priorityTag(task.priority)],
      [
        t('myTasks.dueLabel'),
        h('span', { class: task.due_on < day && open ? 't-due overdue' : '' }, dueText(task, day)),
      ],
      [t('myTasks.statusLabel'), t(`myTasks.status.${task.status}`)],
      [t('myTasks.assignee'), assignee],
      [t('myTasks.source'), source],
    ];
    if (task.details) facts.push([t('myTasks.details'), task.details]);
    if (task.outcome) facts.push([t('myTasks.outcome'), task.outcome]);

    append(
      clear(body),
      h('p', { class: 'sub' }, h('a', { href: '#/my-tasks' }, icon('←'), ' ', t('myTasks.back'))),
      heading,
      h(
        'dl',
        { class: 'summary-list' },
        facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
      ),
      open ? actions(task) : null,
      h('h2', null, t('myTasks.history')),
      h(
        'ul',
        { class: 'plain history' },
        h(
          'li',
          null,
          h('span', { class: 'ev-kind' }, t('myTasks.event.created')),
          ` · ${fmtWhen(task.created_at)}`,
        ),
        events.map(eventLine),
      ),
    );
    if (focusHeading) heading.focus();
  }

  /** Start, note, reschedule, close: each its own small form. */
  function actions(task) {
    const done = async (kind, changes, message) => {
      await tasks.act(task.id, kind, changes);
      app.toast(message);
      if (kind === 'closed') app.go('my-tasks');
      else draw(true);
    };
    const note = h('textarea', { rows: 2, maxlength: 2000 });
    const noteErr = h('p', { class: 'error', role: 'alert' });
    const outcome = h('textarea', { rows: 3, maxlength: 2000, 'aria-required': 'true' });
    const outcomeErr = h('p', { class: 'error', role: 'alert' });
    const due = h('input', { type: 'date', value: task.due_on, min: today() });
    const dueErr = h('p', { class: 'error', role: 'alert' });
    const required = (control, err, key) => {
      if (control.value.trim()) return true;
      err.textContent = `⚠ ${t(key)}`;
      control.focus();
      return false;
    };
    return h(
      'div',
      { class: 'my-task-actions' },
      task.status === 'open'
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => done('started', {}, t('myTasks.startedToast')),
            },
            icon('▶'),
            t('myTasks.start'),
          )
        : null,
      h(
        'form',
        {
          class: 'task-form',
          onsubmit: (e) => {
            e.preventDefault();
            if (required(note, noteErr, 'myTasks.needNote'))
              done('noted', { note: note.value.trim() }, t('myTasks.notedToast'));
          },
        },
        field(t('myTasks.note'), note),
        noteErr,
        h('button', { type: 'submit', class: 'btn secondary' }, t('myTasks.addNote')),
      ),
      h(
        'form',
        {
          class: 'task-form',
          onsubmit: (e) => {
            e.preventDefault();
            dueErr.textContent = '';
            if (!/^\d{4}-\d{2}-\d{2}$/.test(due.value) || due.value === task.due_on) {
              dueErr.textContent = `⚠ ${t('myTasks.needDue')}`;
              return due.focus();
            }
            done('rescheduled', { due_on: due.value }, t('myTasks.rescheduledToast'));
          },
        },
        field(t('myTasks.newDueLabel'), due),
        dueErr,
        h('button', { type: 'submit', class: 'btn secondary' }, t('myTasks.reschedule')),
      ),
      h(
        'form',
        {
          class: 'task-form close',
          onsubmit: (e) => {
            e.preventDefault();
            if (required(outcome, outcomeErr, 'myTasks.needOutcome'))
              done('closed', { outcome: outcome.value.trim() }, t('myTasks.closedToast'));
          },
        },
        field(t('myTasks.outcome'), outcome, { hint: t('myTasks.outcomeHint') }),
        outcomeErr,
        h('button', { type: 'submit', class: 'btn' }, icon('✓'), t('myTasks.close')),
      ),
    );
  }

  draw();
  return { el, title: t('myTasks.task') };
}
