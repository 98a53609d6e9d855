// Supervision meetings for the office: the month's rule per supervisor and worker (met, on
// track, at risk, missed) and the list of meetings with its filters; recording a meeting (kind,
// date, participants from the unit's people, residents and cases discussed with notes,
// decisions, the follow-up tasks it raises); and one meeting's page, to read, edit, and follow
// the tasks it raised (docs/meetings.md).
import { h, field } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { addDays, today } from '../../lib/dates.js';
import { client, screen, table, pager, problemLine, fmtDay, statusTag, filterSet } from '../ui.js';
import { priorityTag, taskStatusTag } from '../task-parts.js';
import { TASK_PRIORITIES } from '../task-logic.js';
import {
  MEETING_KINDS,
  meetingBody,
  meetingProblem,
  monthOf,
  monthRange,
  ruleOrder,
  shiftMonth,
} from '../meeting-logic.js';
import { session } from '../../state/index.js';

/** The list's filters, kept while the app stays open (back from a meeting, the same list). */
let meetingFilters = null;

const me = () => session.current()?.user;
const isAdmin = () => me()?.role === 'admin';
const kindText = (kind) => t(`meetings.kind.${kind}`);
const names = (people) => (people || []).map((p) => p.display_name).join('、') || '—';

// ---- #/meetings ----------------------------------------------------------------------------

export function meetingsView(app) {
  const api = client();
  const filters = (meetingFilters ||= {
    month: monthOf(today()),
    unit: '',
    kind: '',
    person: '',
    page: 1,
  });
  const units = [];
  const { refilter } = filterSet(filters, () => view.reload());
  const unitSel = h('select', {
    onchange: (e) => refilter({ unit: e.target.value, person: '' }),
  });
  const kindSel = h(
    'select',
    { onchange: (e) => refilter({ kind: e.target.value }) },
    h('option', { value: '' }, t('meetings.anyKind')),
    MEETING_KINDS.map((k) => h('option', { value: k }, kindText(k))),
  );
  kindSel.value = filters.kind;
  const personSel = h('select', { onchange: (e) => refilter({ person: e.target.value }) });
  const monthLabel = h('span', { class: 'meeting-month', role: 'status' });
  const step = (n, label) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn secondary small',
        onclick: () => refilter({ month: shiftMonth(filters.month, n) }),
      },
      label,
    );
  const controls = h(
    'div',
    { class: 'row filters' },
    h('div', { class: 'row meeting-months' }, step(-1, t('meetings.prevMonth')), monthLabel),
    field(t('office.unit'), unitSel),
    field(t('meetings.filterKind'), kindSel),
    field(t('meetings.filterPerson'), personSel),
    session.isInspector()
      ? null
      : h('a', { class: 'btn', href: '#/meeting-new' }, t('meetings.new')),
  );
  controls.querySelector('.meeting-months').append(step(1, t('meetings.nextMonth')));
  const view = screen(app, t('meetings.title'), { intro: t('meetings.intro'), controls });

  view.start(async (fresh) => {
    if (!units.length) {
      units.push(...(await fresh(api.get('/api/v1/units'))));
      unitSel.replaceChildren(
        h('option', { value: '' }, t('office.allUnits')),
        ...units.map((u) => h('option', { value: u.id }, u.name)),
      );
      unitSel.value = filters.unit;
    }
    monthLabel.textContent = filters.month;
    const [from, to] = monthRange(filters.month);
    const [rule, list] = await fresh(
      Promise.all([
        api.get('/api/v1/meetings/rule', { month: filters.month, unit_id: filters.unit }),
        api.get('/api/v1/meetings', {
          from,
          to,
          unit_id: filters.unit,
          kind: filters.kind,
          user_id: filters.person,
          page: filters.page,
          per_page: 50,
        }),
      ]),
    );
    drawPeople(rule.people || []);
    view.body.replaceChildren(ruleSection(rule), listSection(list));
  });

  /** The person filter: the people the rule judges, by name. */
  function drawPeople(people) {
    const sorted = [...people].sort((a, b) =>
      (a.user.display_name || '').localeCompare(b.user.display_name || ''),
    );
    personSel.replaceChildren(
      h('option', { value: '' }, t('meetings.anyone')),
      ...sorted.map((p) => h('option', { value: p.user.id }, p.user.display_name)),
    );
    personSel.value = sorted.some((p) => p.user.id === filters.person) ? filters.person : '';
  }

  function ruleSection(rule) {
    const people = ruleOrder(rule.people || []);
    return h(
      'section',
      { class: 'meeting-rule', 'aria-labelledby': 'meeting-rule-h' },
      h('h2', { id: 'meeting-rule-h' }, t('meetings.ruleTitle', { n: rule.required })),
      h('p', { class: 'note' }, t('meetings.ruleNote')),
      people.length
        ? table(
            t('meetings.ruleCaption', { month: rule.month }),
            [
              { label: t('meetings.person'), cell: (p) => p.user.display_name },
              { label: t('meetings.role'), cell: (p) => t(`meetings.roleOf.${p.user.role}`) },
              {
                label: t('meetings.count'),
                num: true,
                cell: (p) =>
                  h(
                    'span',
                    { class: 'meeting-count', 'data-user': p.user.id },
                    t('meetings.countOf', { n: p.meetings, required: p.required }),
                  ),
              },
              { label: t('meetings.last'), cell: (p) => fmtDay(p.last_held_on) },
              { label: t('meetings.status'), cell: (p) => statusTag(p.status) },
              { label: t('meetings.dueOn'), cell: (p) => fmtDay(p.due_on) },
            ],
            people,
            { rowClass: (p) => `meeting-st-${p.status}` },
          )
        : h('p', { class: 'note' }, t('meetings.noPeople')),
    );
  }

  function listSection(list) {
    return h(
      'section',
      { class: 'meeting-list', 'aria-labelledby': 'meeting-list-h' },
      h('h2', { id: 'meeting-list-h' }, t('meetings.listTitle', { n: list.total })),
      list.items.length
        ? table(
            t('meetings.listCaption'),
            [
              {
                label: t('meetings.heldOn'),
                cell: (m) => h('a', { href: `#/meeting/${m.id}` }, fmtDay(m.held_on)),
              },
              { label: t('meetings.kindLabel'), cell: (m) => kindText(m.kind) },
              { label: t('meetings.supervisor'), cell: (m) => m.supervisor?.display_name || '—' },
              { label: t('meetings.participants'), cell: (m) => names(m.people) },
              {
                label: t('meetings.discussed'),
                cell: (m) =>
                  m.discussed
                    .map((d) => d.resident_name)
                    .filter(Boolean)
                    .join('、') || '—',
              },
            ],
            list.items,
          )
        : h('p', { class: 'note' }, t('meetings.none')),
      pager(
        list,
        (p) => {
          filters.page = p;
          view.reload();
        },
        t('meetings.listCaption'),
      ),
    );
  }

  return { el: view.el, title: t('meetings.title'), destroy: view.destroy };
}

// ---- #/meeting-new -------------------------------------------------------------------------

export function meetingNewView(app) {
  const api = client();
  const view = screen(app, t('meetings.newTitle'), { intro: t('meetings.newIntro') });
  view.start(async (fresh) => {
    const units = await fresh(api.get('/api/v1/units'));
    view.body.replaceChildren(
      meetingForm(app, api, units, null, (saved) => {
        app.toast(t('meetings.saved'));
        app.go(`meeting/${saved.id}`);
      }),
    );
  });
  return { el: view.el, title: t('meetings.newTitle'), destroy: view.destroy };
}

/**
 * The form of a meeting: new (with the tasks it raises) or an edit of `meeting` (without:
 * its tasks are ordinary tasks once made). onSaved(answer) is called with the server's answer.
 */
function meetingForm(app, api, units, meeting, onSaved) {
  const editing = Boolean(meeting);
  const msg = problemLine();
  const kind = h(
    'select',
    { onchange: () => updateHint() },
    MEETING_KINDS.map((k) => h('option', { value: k }, kindText(k))),
  );
  kind.value = meeting?.kind || 'group';
  const heldOn = h('input', { type: 'date', max: today(), value: meeting?.held_on || today() });
  const unit = h(
    'select',
    { onchange: () => loadUnit() },
    units.map((u) => h('option', { value: u.id }, u.name)),
  );
  if (meeting?.unit_id) unit.value = meeting.unit_id;
  const supervisor = h('select', { onchange: () => drawPeople() });
  const place = h('input', { type: 'text', maxlength: 200, value: meeting?.place || '' });
  const minutes = h('input', {
    type: 'number',
    min: 1,
    max: 1440,
    inputmode: 'numeric',
    value: meeting?.minutes ?? '',
  });
  const topics = h('textarea', { rows: 3, maxlength: 2000 });
  topics.value = meeting?.topics || '';
  const decisions = h('textarea', { rows: 3, maxlength: 2000 });
  decisions.value = meeting?.decisions || '';
  const peopleBox = h('div', { class: 'meeting-people', role: 'group' });
  const kindHint = h('p', { class: 'hint' });
  const discussedList = h('ul', { class: 'meeting-discussed' });
  const tasksList = h('ul', { class: 'meeting-tasks' });
  const chosen = new Set(meeting?.participants || []);
  let staff = [];
  let residents = [];

  const updateHint = () =>
    (kindHint.textContent = t(
      kind.value === 'individual' ? 'meetings.oneHint' : 'meetings.twoHint',
    ));
  updateHint();

  const supervisorId = () => (isAdmin() ? supervisor.value : me()?.id);

  function drawPeople() {
    const people = staff.filter((p) => p.id !== supervisorId() && p.active !== false);
    // Those already chosen stay listed even if the unit changed (they may be of another unit).
    for (const p of meeting?.people || [])
      if (!people.some((x) => x.id === p.id) && chosen.has(p.id)) people.push(p);
    peopleBox.replaceChildren(
      h('p', { class: 'meeting-people-label' }, t('meetings.participants')),
      kindHint,
      ...(people.length
        ? people.map((p) =>
            h(
              'label',
              { class: 'check' },
              h('input', {
                type: 'checkbox',
                value: p.id,
                checked: chosen.has(p.id),
                onchange: (e) => (e.target.checked ? chosen.add(p.id) : chosen.delete(p.id)),
              }),
              ` ${p.display_name}`,
            ),
          )
        : [h('p', { class: 'note' }, t('meetings.noStaff'))]),
    );
    for (const row of tasksList.children) row.refreshAssignees?.();
  }

  async function loadUnit() {
    try {
      const [people, page] = await Promise.all([
        api.get('/api/v1/users', { unit_id: unit.value }),
        api.get('/api/v1/residents', { unit_id: unit.value, per_page: 200 }),
      ]);
      staff = people;
      residents = page.items || [];
    } catch (err) {
      msg.show(err);
    }
    drawPeople();
    for (const row of [...discussedList.children, ...tasksList.children]) row.refreshResidents?.();
  }

  async function loadSupervisors() {
    if (!isAdmin()) return;
    try {
      const found = await api.get('/api/v1/users', { role: 'supervisor' });
      supervisor.replaceChildren(...found.map((p) => h('option', { value: p.id }, p.display_name)));
      if (meeting) supervisor.value = meeting.supervisor_id;
    } catch (err) {
      msg.show(err);
    }
    drawPeople();
  }

  const residentOptions = (select, value) => {
    select.replaceChildren(
      h('option', { value: '' }, t('meetings.pickResident')),
      ...residents.map((r) => h('option', { value: r.id }, `${r.name} · ${r.room || ''}`)),
    );
    if (value && !residents.some((r) => r.id === value))
      select.append(h('option', { value }, value.slice(0, 8)));
    select.value = value || '';
  };

  function discussedRow(item = {}) {
    const resident = h('select', {
      'aria-label': t('meetings.resident'),
      onchange: () => loadCases(),
    });
    const caseSel = h('select', { 'aria-label': t('meetings.case') });
    const note = h('textarea', {
      rows: 2,
      maxlength: 2000,
      'aria-label': t('meetings.note'),
    });
    note.value = item.note || '';
    async function loadCases(value = '') {
      caseSel.replaceChildren(h('option', { value: '' }, t('meetings.noCase')));
      if (!resident.value) return;
      try {
        const found = await api.get('/api/v1/cases', { resident_id: resident.value, per_page: 50 });
        caseSel.append(
          ...(found.items || []).map((c) =>
            h('option', { value: c.id }, `${fmtDay(c.opened_at)} · ${t(`cases.stage.${c.stage}`)}`),
          ),
        );
        caseSel.value = value;
      } catch {
        // the case is a help; the resident alone is enough
      }
    }
    const row = h(
      'li',
      { class: 'card meeting-discussed-row' },
      h(
        'div',
        { class: 'row' },
        field(t('meetings.resident'), resident),
        field(t('meetings.case'), caseSel),
      ),
      field(t('meetings.note'), note),
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => row.remove() },
        t('meetings.remove'),
      ),
    );
    row.refreshResidents = () => residentOptions(resident, resident.value || item.resident_id);
    row.refreshResidents();
    loadCases(item.case_id || '');
    row.read = () => ({ residentId: resident.value, caseId: caseSel.value, note: note.value });
    return row;
  }

  function taskRow() {
    const resident = h('select', { 'aria-label': t('meetings.resident') });
    const title = h('input', { type: 'text', maxlength: 200 });
    const assignee = h('select');
    const due = h('input', { type: 'date', value: addDays(today(), 7) });
    const priority = h(
      'select',
      null,
      TASK_PRIORITIES.map((p) => h('option', { value: p }, t(`tasks.priority.${p}`))),
    );
    priority.value = 'routine';
    const row = h(
      'li',
      { class: 'card meeting-task-row' },
      h(
        'div',
        { class: 'row' },
        field(t('meetings.resident'), resident),
        field(t('meetings.taskTitle'), title),
      ),
      h(
        'div',
        { class: 'row' },
        field(t('meetings.assignee'), assignee),
        field(t('meetings.taskDue'), due),
        field(t('meetings.taskPriority'), priority),
      ),
      h(
        'button',
        { type: 'button', class: 'btn secondary small', onclick: () => row.remove() },
        t('meetings.remove'),
      ),
    );
    row.refreshResidents = () => residentOptions(resident, resident.value);
    row.refreshAssignees = () => {
      const keep = assignee.value;
      const people = staff.filter((p) => chosen.has(p.id));
      assignee.replaceChildren(
        h('option', { value: '' }, t('meetings.toSupervisor')),
        ...people.map((p) => h('option', { value: p.id }, p.display_name)),
      );
      assignee.value = people.some((p) => p.id === keep) ? keep : '';
    };
    assignee.addEventListener('focus', row.refreshAssignees);
    row.refreshResidents();
    row.refreshAssignees();
    row.read = () => ({
      residentId: resident.value,
      title: title.value,
      assigneeId: assignee.value,
      dueOn: due.value,
      priority: priority.value,
    });
    return row;
  }

  for (const item of meeting?.discussed || []) discussedList.append(discussedRow(item));

  const form = h(
    'form',
    {
      class: 'meeting-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const state = {
          id: crypto.randomUUID(),
          kind: kind.value,
          heldOn: heldOn.value,
          supervisorId: isAdmin() ? supervisor.value : null,
          unitId: unit.value,
          place: place.value,
          minutes: minutes.value,
          topics: topics.value,
          decisions: decisions.value,
          participants: [...chosen],
          discussed: [...discussedList.children].map((row) => row.read()),
          tasks: [...tasksList.children].map((row) => row.read()),
        };
        const why = meetingProblem({ ...state, today: today() });
        if (why) return msg.show(t(why));
        const submit = form.querySelector('button[type=submit]');
        submit.disabled = true;
        try {
          const body = meetingBody(state, { withTasks: !editing });
          const saved = editing
            ? await api.send('PUT', `/api/v1/meetings/${meeting.id}`, body)
            : await api.send('POST', '/api/v1/meetings', body);
          onSaved(saved);
        } catch (err) {
          msg.show(err);
          submit.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field(t('meetings.kindLabel'), kind),
      field(t('meetings.heldOn'), heldOn),
      field(t('office.unit'), unit),
      isAdmin() ? field(t('meetings.supervisor'), supervisor) : null,
    ),
    peopleBox,
    h(
      'div',
      { class: 'row' },
      field(t('meetings.place'), place),
      field(t('meetings.minutes'), minutes),
    ),
    field(t('meetings.topics'), topics),
    h('h2', null, t('meetings.discussedTitle')),
    discussedList,
    h(
      'button',
      {
        type: 'button',
        class: 'btn secondary',
        onclick: () => discussedList.append(discussedRow()),
      },
      t('meetings.addDiscussed'),
    ),
    field(t('meetings.decisions'), decisions),
    editing
      ? null
      : [
          h('h2', null, t('meetings.tasksTitle')),
          h('p', { class: 'hint' }, t('meetings.tasksHint')),
          tasksList,
          h(
            'button',
            { type: 'button', class: 'btn secondary', onclick: () => tasksList.append(taskRow()) },
            t('meetings.addTask'),
          ),
        ],
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        { type: 'submit', class: 'btn' },
        t(editing ? 'meetings.saveEdit' : 'meetings.save'),
      ),
    ),
    msg.el,
  );
  if (units.length) loadUnit();
  loadSupervisors();
  return form;
}

// ---- #/meeting/<id> ------------------------------------------------------------------------

export function meetingView(app, [id]) {
  const api = client();
  const view = screen(app, t('meetings.oneTitle'));
  let editing = false;

  view.start(async (fresh) => {
    const meeting = await fresh(api.get(`/api/v1/meetings/${id}`));
    if (editing) {
      const units = await fresh(api.get('/api/v1/units'));
      view.body.replaceChildren(
        meetingForm(app, api, units, meeting, () => {
          editing = false;
          app.toast(t('meetings.saved'));
          view.reload();
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'btn secondary',
            onclick: () => {
              editing = false;
              view.reload();
            },
          },
          t('common.cancel'),
        ),
      );
      return;
    }
    view.body.replaceChildren(detail(meeting));
  });

  function detail(m) {
    const line = (label, value) =>
      value ? h('p', null, h('strong', null, `${label}${t('meetings.colon')}`), value) : null;
    return h(
      'article',
      { class: 'meeting-detail' },
      h(
        'p',
        { class: 'card-title' },
        `${fmtDay(m.held_on)} · ${kindText(m.kind)} · ${m.supervisor?.display_name || '—'}`,
      ),
      line(t('meetings.participants'), names(m.people)),
      line(t('meetings.place'), m.place),
      line(t('meetings.minutes'), m.minutes ? t('meetings.minutesOf', { n: m.minutes }) : ''),
      line(t('meetings.topics'), m.topics),
      line(t('meetings.decisions'), m.decisions),
      h('h2', null, t('meetings.discussedTitle')),
      m.discussed.length
        ? h(
            'ul',
            { class: 'cards meeting-discussed' },
            m.discussed.map((d) =>
              h(
                'li',
                { class: 'card' },
                h(
                  'p',
                  { class: 'card-title' },
                  d.resident_id
                    ? h('a', { href: `#/resident/${d.resident_id}` }, d.resident_name || '—')
                    : '—',
                  d.case_id
                    ? [' · ', h('a', { href: `#/cases/${d.case_id}` }, t('meetings.case'))]
                    : null,
                ),
                d.note ? h('p', null, d.note) : null,
              ),
            ),
          )
        : h('p', { class: 'note' }, t('meetings.noneDiscussed')),
      h('h2', null, t('meetings.raisedTitle', { n: m.tasks.length })),
      m.tasks.length
        ? h(
            'ul',
            { class: 'cards meeting-tasks' },
            m.tasks.map((task) =>
              h(
                'li',
                { class: 'card' },
                h('p', { class: 'card-title' }, h('a', { href: `#/tasks/${task.id}` }, task.title)),
                h(
                  'p',
                  { class: 'tags' },
                  taskStatusTag(task.status),
                  ' · ',
                  priorityTag(task.priority),
                  ' · ',
                  fmtDay(task.due_on),
                  ' · ',
                  task.assignee?.display_name || '—',
                ),
              ),
            ),
          )
        : h('p', { class: 'note' }, t('meetings.noTasks')),
      m.can_edit
        ? h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => {
                editing = true;
                view.reload();
              },
            },
            t('meetings.edit'),
          )
        : null,
      h('p', null, h('a', { href: '#/meetings' }, t('meetings.back'))),
    );
  }

  return { el: view.el, title: t('meetings.oneTitle'), destroy: view.destroy };
}
