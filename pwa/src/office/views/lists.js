// Alerts (acknowledge with a note; a task's alert links to the task) with the switch for
// urgent tasks' notifications, and follow-ups (mark handled with a note; each shows its task).
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { client, screen, pager, problemLine, fmtDateTime, fillUnitFilter } from '../ui.js';
import { pushSwitch } from '../push.js';
import { taskStatusTag, priorityTag, dueText } from '../task-parts.js';
import { session } from '../../state/index.js';

const TASK_ALERTS = new Set(['overdue', 'urgent']);

/** A task alert's line: what kind, the task's title (a link to it), whose, and how late. */
function taskAlertTitle(alert, what, who) {
  const d = alert.detail || {};
  return h(
    'p',
    { class: 'card-title' },
    alert.kind === 'urgent' ? '‼ ' : '⚠ ',
    what,
    t('tasks.colon'),
    d.task_id ? h('a', { href: `#/tasks/${d.task_id}` }, d.title || t('tasks.taskTitle')) : d.title,
    ' · ',
    alert.resident_id ? h('a', { href: `#/resident/${alert.resident_id}` }, who) : who,
    d.days_overdue ? ` · ${t('tasks.lateBy', { n: d.days_overdue })}` : '',
    d.assignee_name ? ` · ${d.assignee_name}` : '',
  );
}

export function alertsView(app) {
  const api = client();
  const filters = { state: 'open', unit: '', page: 1 };
  const units = [];
  const unitBox = h('div');
  const stateSel = h(
    'select',
    {
      onchange: (e) => {
        filters.state = e.target.value;
        filters.page = 1;
        view.reload();
      },
    },
    ['open', 'resolved', 'all'].map((v) => h('option', { value: v }, t(`alerts.state.${v}`))),
  );
  const controls = h(
    'div',
    null,
    session.isInspector() ? null : pushSwitch(client()).el,
    h('div', { class: 'row filters' }, field(t('alerts.show'), stateSel), unitBox),
  );
  const view = screen(app, t('alerts.title'), { controls });

  function card(alert) {
    const who = alert.resident_name || alert.worker_name || '—';
    const note = h('input', {
      type: 'text',
      maxlength: 1000,
      'aria-label': t('alerts.noteFor', { who }),
    });
    const msg = problemLine();
    const what = t(`alerts.kind.${alert.kind}`);
    return h(
      'li',
      { class: `card alert-${alert.kind}` },
      TASK_ALERTS.has(alert.kind)
        ? taskAlertTitle(alert, what, who)
        : h(
            'p',
            { class: 'card-title' },
            '⚠ ',
            what,
            ': ',
            alert.resident_id ? h('a', { href: `#/resident/${alert.resident_id}` }, who) : who,
            alert.period ? ` · ${alert.period}` : '',
          ),
      h(
        'p',
        { class: 'hint' },
        t('alerts.raised', { when: fmtDateTime(alert.raised_at) }),
        alert.resolved_at
          ? ` · ${t('alerts.resolved', { when: fmtDateTime(alert.resolved_at) })}`
          : '',
      ),
      alert.acked_at
        ? h(
            'p',
            null,
            '✓ ',
            t('alerts.acked', { when: fmtDateTime(alert.acked_at), note: alert.ack_note || '—' }),
          )
        : session.isInspector()
          ? null
          : h(
              'form',
              {
                class: 'row',
                onsubmit: async (e) => {
                  e.preventDefault();
                  try {
                    await api.send('POST', `/api/v1/alerts/${alert.id}/ack`, {
                      note: note.value.trim(),
                    });
                    app.toast(t('alerts.done', { who }));
                    view.reload();
                  } catch (err) {
                    msg.show(err);
                  }
                },
              },
              h('div', { class: 'grow' }, field(t('alerts.note'), note)),
              h(
                'button',
                { type: 'submit', class: 'btn', 'aria-label': t('alerts.ackFor', { what, who }) },
                t('alerts.ack'),
              ),
            ),
      msg.el,
    );
  }

  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const answer = await fresh(
      api.get('/api/v1/alerts', {
        state: filters.state,
        unit_id: filters.unit,
        ...(filters.office ? { office_id: filters.office } : {}),
        page: filters.page,
        per_page: 50,
      }),
    );
    view.body.replaceChildren(
      answer.items.length
        ? h('ul', { class: 'cards' }, answer.items.map(card))
        : h('p', { class: 'note' }, t('alerts.none')),
      pager(
        answer,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('alerts.title'),
      ),
    );
  });
  return { el: view.el, title: t('alerts.title'), destroy: view.destroy };
}

/** The tasks a flagged visit raised, each with its status and a link to it. */
function visitTasks(visit) {
  const tasks = visit.tasks || (visit.task ? [visit.task] : []);
  if (!tasks.length) return null;
  return h(
    'ul',
    {
      class: 'plain followup-tasks',
      'aria-label': t('followups.tasksOf', { name: visit.resident.name }),
    },
    tasks.map((task) =>
      h(
        'li',
        null,
        h('a', { href: `#/tasks/${task.id}` }, task.title || t('tasks.taskTitle')),
        ' · ',
        taskStatusTag(task.status),
        task.priority ? [' · ', priorityTag(task.priority)] : null,
        task.due_on ? [' · ', dueText(task)] : null,
        task.assignee?.display_name ? ` · ${task.assignee.display_name}` : '',
      ),
    ),
  );
}

/** A visit row (follow-ups, unsatisfied) as a card; with a "handled" form when it is open. */
export function visitRowCard(api, visit, onDone) {
  const concerns = (visit.concerns || []).map((c) => t(`followups.concern.${c}`)).join(', ');
  const note = h('textarea', {
    rows: 2,
    maxlength: 1000,
    'aria-label': t('followups.noteFor', { name: visit.resident.name }),
  });
  const msg = problemLine();
  return h(
    'li',
    { class: 'card' },
    h(
      'p',
      { class: 'card-title' },
      h('a', { href: `#/resident/${visit.resident.id}` }, visit.resident.name),
      visit.resident.room ? ` · ${visit.resident.room}` : '',
      ` · ${fmtDateTime(visit.checked_in_at)}`,
    ),
    h(
      'p',
      { class: 'hint' },
      `№ ${visit.number} · ${visit.unit.name} · ${visit.worker.display_name}`,
    ),
    concerns ? h('p', null, '⚠ ', t('followups.concerns', { list: concerns })) : null,
    visit.observations?.notes
      ? h('p', null, t('visit.notes'), ': ', visit.observations.notes)
      : null,
    visit.service_given ? h('p', null, t('visit.service'), ': ', visit.service_given) : null,
    visit.satisfaction
      ? h('p', null, t('office.satisfaction'), ': ', t(`satisfaction.${visit.satisfaction}`))
      : null,
    visit.feedback ? h('p', null, t('rate.comment'), ': ', visit.feedback) : null,
    visitTasks(visit),
    visit.handled
      ? h(
          'p',
          null,
          '✓ ',
          t('followups.handledBy', {
            when: fmtDateTime(visit.handled.at),
            who: visit.handled.by?.display_name || '—',
            note: visit.handled.note,
          }),
        )
      : session.isInspector()
        ? null
        : h(
            'form',
            {
              onsubmit: async (e) => {
                e.preventDefault();
                if (!note.value.trim()) return msg.show(t('followups.needNote'));
                try {
                  await api.send('POST', `/api/v1/followups/${visit.visit_id}/handle`, {
                    note: note.value.trim(),
                  });
                  onDone(visit);
                } catch (err) {
                  msg.show(err);
                }
              },
            },
            field(t('followups.note'), note),
            h(
              'button',
              {
                type: 'submit',
                class: 'btn',
                'aria-label': t('followups.markFor', { name: visit.resident.name }),
              },
              t('followups.mark'),
            ),
          ),
    msg.el,
  );
}

export function followupsView(app) {
  const api = client();
  const filters = { status: 'open', unit: '', page: 1 };
  const units = [];
  const unitBox = h('div');
  const statusSel = h(
    'select',
    {
      onchange: (e) => {
        filters.status = e.target.value;
        filters.page = 1;
        view.reload();
      },
    },
    ['open', 'handled', 'all'].map((v) => h('option', { value: v }, t(`followups.state.${v}`))),
  );
  const view = screen(app, t('followups.title'), {
    intro: t('followups.intro'),
    controls: h('div', { class: 'row filters' }, field(t('alerts.show'), statusSel), unitBox),
  });
  // A unit chosen while the first list is still loading: only the newer list is drawn
  // (fresh), so the first, slower answer never replaces it and the note being typed.
  view.start(async (fresh) => {
    await fillUnitFilter({ api, fresh, units, box: unitBox, filters, view });
    const answer = await fresh(
      api.get('/api/v1/followups', {
        status: filters.status,
        unit_id: filters.unit,
        ...(filters.office ? { office_id: filters.office } : {}),
        page: filters.page,
        per_page: 50,
      }),
    );
    view.body.replaceChildren(
      answer.items.length
        ? h(
            'ul',
            { class: 'cards' },
            answer.items.map((v) =>
              visitRowCard(api, v, () => {
                app.toast(t('followups.done', { name: v.resident.name }));
                view.reload();
              }),
            ),
          )
        : h('p', { class: 'note' }, t('followups.none')),
      pager(
        answer,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('followups.title'),
      ),
    );
  });
  return { el: view.el, title: t('followups.title'), destroy: view.destroy };
}
