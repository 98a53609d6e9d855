// The follow-up part of the visit form: what the last visit on this phone found, the
// resident's open tasks (each can be closed as done during this visit, with its outcome), and
// tasks raised by hand. Closes and new tasks ride with the draft and are saved with the visit
// (state/draft.js): nothing reaches the outbox before "Save visit".
import { h, append, clear, field, choice, icon } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';
import { today, addDays } from '../../lib/dates.js';
import * as outbox from '../../sync/outbox.js';
import { draft, tasks } from '../../state/index.js';
import { dueText, priorityTag } from './tasks.js';

const QUICK_TITLES = ['myTasks.quick.familyCall', 'myTasks.quick.doctor'];
const DEFAULT_DUE_DAYS = 3;

/** The resident's latest visit this phone knows (waiting or kept), corrections applied. */
export async function lastVisit(residentId, exceptId) {
  const [waiting, kept] = await Promise.all([outbox.visits(), outbox.allSynced()]);
  const candidates = [
    ...waiting.map((item) => item.payload),
    ...kept.map((visit) => {
      const v = structuredClone(visit.payload);
      for (const a of visit.amendments || []) Object.assign(v, structuredClone(a.changes));
      return v;
    }),
  ].filter((v) => v.resident_id === residentId && v.id !== exceptId);
  candidates.sort((a, b) => b.checked_in_at.localeCompare(a.checked_in_at));
  return candidates[0] || null;
}

const pair = (what, value) => t('myTasks.last.finding', { what, value });

/** What a visit found, as lines: concerns, follow-up, an unhappy rating, the notes. */
export function findings(visit) {
  const lines = [];
  for (const key of ['living', 'emotional', 'physical'])
    if (visit.observations?.[key] === 'concern')
      lines.push(`⚠ ${pair(t(`visit.obs.${key}`), t('visit.concern'))}`);
  if (visit.follow_up) lines.push(`⚠ ${t('visit.followUp')}`);
  if (visit.satisfaction === 'unsatisfied')
    lines.push(`⚠ ${pair(t('confirm.satisfaction'), t('satisfaction.unsatisfied'))}`);
  if (!lines.length) lines.push(`✓ ${t('myTasks.last.noConcerns')}`);
  if (visit.observations?.notes) lines.push(pair(t('visit.notes'), visit.observations.notes));
  return lines;
}

/** Stop Enter in a field of this part from submitting the visit form around it. */
const noSubmit = (e) => {
  if (e.key === 'Enter' && e.target.tagName === 'INPUT') e.preventDefault();
};

export function visitTasks(visit, resident, unit) {
  const box = h('div', { class: 'visit-tasks', onkeydown: noSubmit });
  const last = h('div', { class: 'last-visit' });
  let open = [];
  let closing = null; // the id of the task whose outcome is being typed
  let raising = false;

  (async () => {
    const [before, list] = await Promise.all([
      lastVisit(visit.resident_id, visit.id),
      tasks.forResident(visit.resident_id),
    ]);
    append(
      clear(last),
      h('h2', null, t('myTasks.last.title')),
      before
        ? [
            h('p', { class: 'hint' }, fmtWhen(before.checked_in_at)),
            h(
              'ul',
              { class: 'plain findings' },
              findings(before).map((line) => h('li', null, line)),
            ),
          ]
        : h('p', { class: 'note' }, t('myTasks.last.none')),
    );
    open = list;
    draw();
  })();

  const events = () => draft.current()?.task_events || [];
  const raised = () => draft.current()?.tasks || [];

  function draw(focus) {
    const closes = new Map(events().map((e) => [e.task_id, e]));
    append(
      clear(box),
      h('h2', null, t('myTasks.open.title', { n: open.length })),
      open.length
        ? h(
            'ul',
            { class: 'cards' },
            open.map((task) => openCard(task, closes.get(task.id))),
          )
        : h('p', { class: 'note' }, t('myTasks.open.none')),
      raised().length
        ? [
            h('h3', null, t('myTasks.raised.title')),
            h(
              'ul',
              { class: 'cards' },
              raised().map((task) =>
                h(
                  'li',
                  { class: 'card' },
                  h('p', { class: 'card-title' }, task.title),
                  h(
                    'p',
                    null,
                    priorityTag(task.priority),
                    ` · ${dueText(task)} · ${task.extra?.assignee_name || t('myTasks.assignee.me')}`,
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn small secondary',
                      'aria-label': `${t('myTasks.raised.remove')}: ${task.title}`,
                      onclick: () => {
                        draft.dropTask(task.id);
                        draw();
                      },
                    },
                    t('myTasks.raised.remove'),
                  ),
                ),
              ),
            ),
          ]
        : null,
      raising
        ? raiseForm()
        : h(
            'button',
            {
              type: 'button',
              class: 'btn secondary raise',
              ref: (b) => focus === 'raise' && queueMicrotask(() => b.focus()),
              onclick: () => {
                raising = true;
                draw('title');
              },
            },
            icon('+'),
            t('myTasks.raise'),
          ),
    );
    if (focus === 'title') box.querySelector('.raise-form input')?.focus();
    if (focus === 'outcome') box.querySelector('.close-form textarea')?.focus();
  }

  function openCard(task, close) {
    const body = [
      h('p', { class: 'card-title' }, task.title),
      h(
        'p',
        null,
        priorityTag(task.priority),
        ' · ',
        h('span', { class: task.due_on < today() ? 't-due overdue' : '' }, dueText(task)),
      ),
    ];
    if (close)
      body.push(
        h(
          'p',
          { class: 'done-here' },
          `✓ ${pair(t('myTasks.doneHere.marked'), close.changes.outcome)}`,
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn small secondary',
            onclick: () => {
              draft.undoClose(task.id);
              draw();
            },
          },
          t('myTasks.doneHere.undo'),
        ),
      );
    else if (closing === task.id) body.push(closeForm(task));
    else
      body.push(
        h(
          'button',
          {
            type: 'button',
            class: 'btn small',
            'aria-label': `${t('myTasks.doneHere')}: ${task.title}`,
            onclick: () => {
              closing = task.id;
              draw('outcome');
            },
          },
          icon('✓'),
          t('myTasks.doneHere'),
        ),
      );
    return h('li', { class: `card${close ? ' closed-here' : ''}`, 'data-task': task.id }, body);
  }

  function closeForm(task) {
    const outcome = h('textarea', { rows: 2, maxlength: 2000, 'aria-required': 'true' });
    const err = h('p', { class: 'error', role: 'alert' });
    return h(
      'div',
      { class: 'close-form' },
      field(t('myTasks.outcome'), outcome, { hint: t('myTasks.outcomeHint') }),
      err,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            onclick: () => {
              if (!outcome.value.trim()) {
                err.textContent = `⚠ ${t('myTasks.needOutcome')}`;
                return outcome.focus();
              }
              draft.closeTask(task.id, outcome.value, task.title);
              closing = null;
              draw();
            },
          },
          t('myTasks.close'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => {
              closing = null;
              draw();
            },
          },
          t('common.cancel'),
        ),
      ),
    );
  }

  function raiseForm() {
    const supervisors = unit?.supervisors || [];
    const title = h('input', { maxlength: 200, 'aria-required': 'true' });
    const details = h('textarea', { rows: 2, maxlength: 2000 });
    const due = h('input', {
      type: 'date',
      value: addDays(today(), DEFAULT_DUE_DAYS),
      min: today(),
    });
    let priority = 'soon';
    let assignee = '';
    const err = h('p', { class: 'error', role: 'alert' });
    const quick = h(
      'div',
      { class: 'row quick' },
      QUICK_TITLES.map((key) =>
        h(
          'button',
          {
            type: 'button',
            class: 'btn small secondary',
            onclick: () => {
              title.value = t(key);
              title.focus();
            },
          },
          t(key),
        ),
      ),
    );
    const add = () => {
      err.textContent = '';
      if (!title.value.trim()) {
        err.textContent = `⚠ ${t('myTasks.needTitle')}`;
        return title.focus();
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(due.value)) {
        err.textContent = `⚠ ${t('myTasks.needDue')}`;
        return due.focus();
      }
      const boss = supervisors.find((s) => s.id === assignee);
      draft.raiseTask(
        {
          title: title.value,
          details: details.value,
          priority,
          dueOn: due.value,
          assigneeId: boss ? boss.id : null,
        },
        {
          resident_name: resident?.name || null,
          unit_id: resident?.unit_id || null,
          assignee_name: boss ? boss.display_name : null, // none: the worker's own
        },
      );
      raising = false;
      draw('raise');
    };
    return h(
      'div',
      { class: 'raise-form card' },
      h('h3', null, t('myTasks.raise')),
      field(t('myTasks.titleLabel'), title),
      quick,
      field(t('myTasks.details'), details),
      choice(
        'task-priority',
        t('myTasks.priority'),
        ['urgent', 'soon', 'routine'].map((p) => [p, t(`myTasks.priority.${p}`)]),
        priority,
        (v) => (priority = v),
      ),
      field(t('myTasks.dueLabel'), due),
      supervisors.length
        ? choice(
            'task-assignee',
            t('myTasks.assignee'),
            [
              ['', t('myTasks.assignee.me')],
              ...supervisors.map((s) => [
                s.id,
                t('myTasks.assignee.supervisor', { name: s.display_name }),
              ]),
            ],
            assignee,
            (v) => (assignee = v),
          )
        : h('p', { class: 'hint' }, t('myTasks.assignee.selfOnly')),
      err,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'btn', onclick: add }, t('myTasks.raise.add')),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => {
              raising = false;
              draw('raise');
            },
          },
          t('common.cancel'),
        ),
      ),
    );
  }

  draw();
  return { last, box };
}

/** For the check-and-save screen: what will be saved with the visit. */
export function visitTasksSummary(visit) {
  const closes = visit.task_events || [];
  const raised = visit.tasks || [];
  if (!closes.length && !raised.length) return null;
  return h(
    'div',
    { class: 'visit-tasks-summary' },
    h('h2', null, t('myTasks.withVisit')),
    h(
      'ul',
      { class: 'plain' },
      raised.map((task) =>
        h(
          'li',
          null,
          `+ ${pair(t('myTasks.withVisit.raised'), task.title)} · ${t(`myTasks.priority.${task.priority}`)} · ${dueText(task)}`,
        ),
      ),
      closes.map((e) =>
        h(
          'li',
          null,
          `✓ ${pair(t('myTasks.withVisit.closed'), e.extra?.title || '')} · ${e.changes.outcome}`,
        ),
      ),
    ),
  );
}
