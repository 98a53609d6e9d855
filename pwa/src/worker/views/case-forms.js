// The forms of a case's steps (docs/cases.md, the kinds of record): intake (the service register
// form and consent), assessment (needs per domain, risks, summary), plan (goals, steps, coded
// services, review schedule, signed by the client), contact, review (progress per goal) and
// closure (reason, evaluation per goal, satisfaction, signature, referral, a follow-up task).
// Each saves one record in the outbox (state/cases.js); nothing is sent until a sync. Opening a
// case (#/my-case-open) is here too: for a resident, from a round's finding or a request.
import { h, append, clear, field, choice, icon, uid } from '../../lib/dom.js';
import { t } from '../../lib/i18n/index.js';
import { today, addDays } from '../../lib/dates.js';
import { roster, cases } from '../../state/index.js';
import { signatureBlock } from './case-sign.js';
import { lastVisit, findings } from './visit-tasks.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const text = (attrs = {}) => h('input', { maxlength: 200, ...attrs });
const area = (attrs = {}) => h('textarea', { rows: 3, maxlength: 2000, ...attrs });
const trimmed = (control) => control.value.trim();
const newId = () => (globalThis.crypto?.randomUUID ? crypto.randomUUID() : uid('g'));

/** A group of checkboxes; returns {el, values()}. */
function checks(legend, options, chosen = []) {
  const boxes = options.map(([value, label]) =>
    h(
      'label',
      { class: 'my-case-check' },
      h('input', { type: 'checkbox', value, checked: chosen.includes(value) }),
      h('span', null, label),
    ),
  );
  return {
    el: h(
      'fieldset',
      { class: 'my-case-checks' },
      h('legend', null, legend),
      h('div', { class: 'my-case-check-list' }, boxes),
    ),
    values: () =>
      boxes
        .map((b) => b.querySelector('input'))
        .filter((i) => i.checked)
        .map((i) => i.value),
  };
}

/** A <select> of [value, label] pairs. */
function select(options, value) {
  return h(
    'select',
    null,
    options.map(([v, label]) =>
      h('option', { value: v, selected: v === value ? true : null }, label),
    ),
  );
}

/** Radio choices read back through a small holder: choice() reports changes only. */
function picked(name, legend, options, value, opts) {
  const holder = { value };
  holder.el = choice(name, legend, options, value, (v) => (holder.value = v), opts);
  return holder;
}

// ---- intake ----------------------------------------------------------------------------

function intakeForm(c, resident) {
  const office = text();
  const workerPhone = text({ type: 'tel' });
  const clientPhone = text({ type: 'tel', value: resident?.phone || '' });
  const address = text({ value: resident?.address || resident?.room || '' });
  const problems = area({ rows: 4, 'aria-required': 'true' });
  const given = h('input', { type: 'checkbox' });
  const by = picked(
    'consent-by',
    t('myCases.intake.consentBy'),
    [
      ['resident', t('myCases.intake.byResident')],
      ['family', t('myCases.intake.byFamily')],
    ],
    'resident',
  );
  const name = text({ value: resident?.name || '' });
  return {
    fields: [
      h('p', { class: 'hint' }, t('myCases.intake.hint')),
      field(t('myCases.intake.office'), office),
      field(t('myCases.intake.workerPhone'), workerPhone),
      field(t('myCases.intake.clientPhone'), clientPhone),
      field(t('myCases.intake.address'), address),
      field(t('myCases.intake.problems'), problems, { required: true }),
      h(
        'fieldset',
        { class: 'my-case-consent' },
        h('legend', null, t('myCases.intake.consent')),
        h(
          'div',
          { class: 'check' },
          h('label', null, given, h('span', null, t('myCases.intake.given'))),
        ),
        by.el,
        field(t('myCases.intake.consentName'), name),
      ),
    ],
    collect() {
      if (!trimmed(problems)) return { error: 'myCases.need.problems', focus: problems };
      if (!given.checked) return { error: 'myCases.need.consent', focus: given };
      if (!trimmed(name)) return { error: 'myCases.need.consentName', focus: name };
      return {
        body: {
          register: {
            office: trimmed(office),
            worker_phone: trimmed(workerPhone),
            client_phone: trimmed(clientPhone),
            address: trimmed(address),
            problems: trimmed(problems),
          },
          consent: { given: true, by: by.value, name: trimmed(name) },
        },
      };
    },
  };
}

// ---- assessment --------------------------------------------------------------------------

function assessmentForm(c) {
  const before = [...c.records].reverse().find((r) => r.kind === 'assessment')?.body;
  const rows = cases.DOMAINS.map((domain, i) => {
    const old = before?.needs?.find((n) => n.domain === domain);
    const severity = picked(
      `sev-${domain}`,
      t(`myCases.domain.${domain}`),
      cases.SEVERITIES.map((s) => [s, t(`myCases.severity.${s}`)]),
      old?.severity || 'none',
      { cls: 'my-case-sev' },
    );
    const priority = select(
      [1, 2, 3, 4, 5, 6].map((n) => [String(n), t('myCases.assessment.priorityN', { n })]),
      String(old?.priority || i + 1),
    );
    const notes = text({ value: old?.notes || '' });
    return { domain, severity, priority, notes };
  });
  const risks = checks(
    t('myCases.assessment.risks'),
    cases.RISKS.map((r) => [r, t(`myCases.risk.${r}`)]),
    before?.risks || [],
  );
  const summary = area({ value: before?.summary || '', 'aria-required': 'true' });
  return {
    fields: [
      h('p', { class: 'hint' }, t('myCases.assessment.hint')),
      rows.map((r) =>
        h(
          'div',
          { class: 'my-case-need card', 'data-domain': r.domain },
          r.severity.el,
          h(
            'div',
            { class: 'my-case-need-more' },
            field(t('myCases.assessment.priority'), r.priority),
            field(t('myCases.assessment.notes'), r.notes),
          ),
        ),
      ),
      risks.el,
      field(t('myCases.assessment.summary'), summary, { required: true }),
    ],
    collect() {
      if (!trimmed(summary)) return { error: 'myCases.need.summary', focus: summary };
      return {
        body: {
          needs: rows.map((r) => ({
            domain: r.domain,
            severity: r.severity.value,
            priority: Number(r.priority.value),
            notes: trimmed(r.notes),
          })),
          risks: risks.values(),
          summary: trimmed(summary),
        },
      };
    },
  };
}

// ---- plan --------------------------------------------------------------------------------

function planForm(c, resident) {
  const before = cases.planOf(c)?.body;
  const supervisors = roster.unitOf(resident)?.supervisors || [];
  const goals = (before?.goals || []).map((g) => ({ ...g }));
  const steps = (before?.steps || []).map((s) => ({ ...s }));
  if (!goals.length) goals.push({ id: newId(), text: '', measure: '', target_on: '' });
  const goalBox = h('div', { class: 'my-case-goal-list' });
  const stepBox = h('div', { class: 'my-case-step-list' });
  const services = checks(
    t('myCases.plan.services'),
    cases.SERVICES.map((s) => [s, t(`myCases.service.${s}`)]),
    before?.services || [],
  );
  const every = h('input', {
    type: 'number',
    min: 1,
    max: 52,
    value: String(before?.review_every_weeks || 4),
    inputmode: 'numeric',
  });
  const sign = signatureBlock('plan-signer');

  const bind = (obj, key, control) => {
    control.addEventListener('input', () => (obj[key] = control.value));
    return control;
  };
  function drawGoals(focus) {
    append(
      clear(goalBox),
      goals.map((g, i) =>
        h(
          'div',
          { class: 'my-case-goal card', 'data-goal': String(i + 1) },
          h('h3', null, t('myCases.plan.goalN', { n: i + 1 })),
          field(t('myCases.plan.goalText'), bind(g, 'text', text({ value: g.text }))),
          field(t('myCases.plan.measure'), bind(g, 'measure', text({ value: g.measure || '' }))),
          field(
            t('myCases.plan.targetOn'),
            bind(
              g,
              'target_on',
              h('input', { type: 'date', value: g.target_on || '', min: today() }),
            ),
          ),
          goals.length > 1
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'btn small secondary',
                  onclick: () => {
                    goals.splice(i, 1);
                    drawGoals();
                    drawSteps();
                  },
                },
                t('myCases.plan.removeGoal'),
              )
            : null,
        ),
      ),
    );
    if (focus) goalBox.lastElementChild?.querySelector('input')?.focus();
  }
  function drawSteps(focus) {
    const goalOptions = goals.map((g, i) => [g.id, t('myCases.plan.goalN', { n: i + 1 })]);
    append(
      clear(stepBox),
      steps.map((s, i) => {
        if (!goals.some((g) => g.id === s.goal_id)) s.goal_id = goals[0].id;
        const goal = select(goalOptions, s.goal_id);
        goal.addEventListener('change', () => (s.goal_id = goal.value));
        const who = select(
          [
            ['', t('myTasks.assignee.me')],
            ...supervisors.map((p) => [
              p.id,
              t('myTasks.assignee.supervisor', { name: p.display_name }),
            ]),
          ],
          s.assignee_id || '',
        );
        who.addEventListener('change', () => (s.assignee_id = who.value || null));
        return h(
          'div',
          { class: 'my-case-step card' },
          field(t('myCases.plan.stepTitle'), bind(s, 'title', text({ value: s.title }))),
          field(t('myCases.plan.stepGoal'), goal),
          field(
            t('myCases.plan.stepDue'),
            bind(s, 'due_on', h('input', { type: 'date', value: s.due_on || '', min: today() })),
          ),
          field(t('myTasks.assignee'), who),
          h(
            'button',
            {
              type: 'button',
              class: 'btn small secondary',
              onclick: () => {
                steps.splice(i, 1);
                drawSteps();
              },
            },
            t('myCases.plan.removeStep'),
          ),
        );
      }),
    );
    if (focus) stepBox.lastElementChild?.querySelector('input')?.focus();
  }
  drawGoals();
  drawSteps();
  return {
    fields: [
      h('h2', null, t('myCases.plan.goals')),
      goalBox,
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          onclick: () => {
            goals.push({ id: newId(), text: '', measure: '', target_on: '' });
            drawGoals(true);
            drawSteps();
          },
        },
        icon('+'),
        t('myCases.plan.addGoal'),
      ),
      h('h2', null, t('myCases.plan.steps')),
      stepBox,
      h(
        'button',
        {
          type: 'button',
          class: 'btn secondary',
          onclick: () => {
            steps.push({
              id: newId(),
              title: '',
              goal_id: goals[0].id,
              assignee_id: null,
              due_on: addDays(today(), 7),
            });
            drawSteps(true);
          },
        },
        icon('+'),
        t('myCases.plan.addStep'),
      ),
      services.el,
      field(t('myCases.plan.reviewEvery'), every, { hint: t('myCases.plan.reviewHint') }),
      h('h2', null, t('myCases.plan.agreed')),
      h('p', { class: 'hint' }, t('myCases.plan.agreedHint')),
      sign.el,
    ],
    destroy: sign.destroy,
    collect() {
      const badGoal = goals.findIndex((g) => !g.text.trim());
      if (badGoal >= 0)
        return {
          error: 'myCases.need.goalText',
          focus: goalBox.children[badGoal]?.querySelector('input'),
        };
      const badStep = steps.findIndex((s) => !s.title.trim() || !DATE.test(s.due_on || ''));
      if (badStep >= 0)
        return {
          error: 'myCases.need.step',
          focus: stepBox.children[badStep]?.querySelector('input'),
        };
      const weeks = Number(every.value);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52)
        return { error: 'myCases.need.weeks', focus: every };
      const signed = sign.value();
      if (signed.error) return { error: signed.error };
      const sig = signed.signature;
      return {
        body: {
          goals: goals.map((g) => ({
            id: g.id,
            text: g.text.trim(),
            measure: (g.measure || '').trim(),
            target_on: DATE.test(g.target_on || '') ? g.target_on : null,
          })),
          steps: steps.map((s) => ({
            id: s.id,
            title: s.title.trim(),
            goal_id: s.goal_id,
            assignee_id: s.assignee_id || null,
            due_on: s.due_on,
          })),
          services: services.values(),
          review_every_weeks: weeks,
          agreed: { signer: sig.signer, signer_name: sig.signer_name || '' },
        },
        signature: sig,
      };
    },
  };
}

// ---- contact and review --------------------------------------------------------------------

const goalOptions = (list) => list.map((g, i) => [g.id, `${i + 1}. ${g.text}`]);

function contactForm(c) {
  const goals = cases.planOf(c)?.body.goals || [];
  const mode = picked(
    'contact-mode',
    t('myCases.contact.mode'),
    cases.MODES.filter((m) => m !== 'visit').map((m) => [m, t(`myCases.mode.${m}`)]),
    'phone',
  );
  const worked = checks(t('myCases.contact.goals'), goalOptions(goals));
  const summary = area({ 'aria-required': 'true' });
  const minutes = h('input', { type: 'number', min: 1, max: 600, inputmode: 'numeric' });
  return {
    fields: [
      h('p', { class: 'hint' }, t('myCases.contact.hint')),
      mode.el,
      goals.length ? worked.el : null,
      field(t('myCases.contact.summary'), summary, { required: true }),
      field(t('myCases.contact.minutes'), minutes),
    ],
    collect() {
      if (!trimmed(summary)) return { error: 'myCases.need.summary', focus: summary };
      const n = minutes.value ? Number(minutes.value) : null;
      if (n !== null && !(Number.isInteger(n) && n > 0 && n <= 600))
        return { error: 'myCases.need.minutes', focus: minutes };
      return {
        body: {
          mode: mode.value,
          visit_id: null,
          goal_ids: goals.length ? worked.values() : [],
          summary: trimmed(summary),
          minutes: n,
        },
      };
    },
  };
}

/** Status and a note for each goal (a review's progress, a closure's evaluation). */
function perGoal(prefix, goals, before = []) {
  return goals.map((g, i) => {
    const old = before.find((p) => p.goal_id === g.id);
    const status = picked(
      `${prefix}-${i}`,
      `${i + 1}. ${g.text}`,
      cases.GOAL_STATUSES.map((s) => [s, t(`myCases.goal.${s}`)]),
      old?.status || 'in_progress',
      { cls: 'my-case-goal-status' },
    );
    const note = text({ value: old?.note || '' });
    return {
      el: h(
        'div',
        { class: 'my-case-progress card' },
        status.el,
        field(t('myCases.review.note'), note),
      ),
      value: () => ({ goal_id: g.id, status: status.value, note: trimmed(note) }),
    };
  });
}

function reviewForm(c) {
  const goals = cases.planOf(c)?.body.goals || [];
  const last = [...c.records].reverse().find((r) => r.kind === 'review')?.body.progress;
  const rows = perGoal('review', goals, last);
  const summary = area({ 'aria-required': 'true' });
  return {
    fields: [
      h('h2', null, t('myCases.review.progress')),
      rows.map((r) => r.el),
      field(t('myCases.review.summary'), summary, { required: true }),
    ],
    collect() {
      if (!trimmed(summary)) return { error: 'myCases.need.summary', focus: summary };
      return { body: { progress: rows.map((r) => r.value()), summary: trimmed(summary) } };
    },
  };
}

// ---- closure -----------------------------------------------------------------------------

function closureForm(c, resident) {
  const goals = cases.goalsOf(c);
  const supervisors = roster.unitOf(resident)?.supervisors || [];
  const reason = picked(
    'closure-reason',
    t('myCases.closure.reason'),
    cases.REASONS.map((r) => [r, t(`myCases.reason.${r}`)]),
    'goals_met',
  );
  const last = [...c.records].reverse().find((r) => r.kind === 'review')?.body.progress;
  const rows = perGoal('eval', goals, last);
  const summary = area({ 'aria-required': 'true' });
  const satisfaction = picked(
    'closure-satisfaction',
    t('myCases.closure.satisfaction'),
    cases.SATISFACTION.map((s) => [s, t(`satisfaction.${s}`)]),
    null,
  );
  const referTo = h('input', { type: 'checkbox' });
  const org = text();
  const orgContact = text();
  const referNote = text();
  const referBox = h(
    'div',
    { class: 'my-case-more', hidden: true },
    field(t('myCases.closure.organisation'), org),
    field(t('myCases.closure.referContact'), orgContact),
    field(t('myCases.closure.referNote'), referNote),
  );
  referTo.addEventListener('change', () => (referBox.hidden = !referTo.checked));
  const follow = h('input', { type: 'checkbox' });
  const followTitle = text({ value: t('myCases.closure.followTitleDefault') });
  const followDays = h('input', {
    type: 'number',
    min: 0,
    max: 90,
    value: '30',
    inputmode: 'numeric',
  });
  const followWho = select(
    [
      ['', t('myTasks.assignee.me')],
      ...supervisors.map((p) => [p.id, t('myTasks.assignee.supervisor', { name: p.display_name })]),
    ],
    '',
  );
  const followBox = h(
    'div',
    { class: 'my-case-more', hidden: true },
    field(t('myTasks.titleLabel'), followTitle),
    field(t('myCases.closure.followDays'), followDays),
    field(t('myTasks.assignee'), followWho),
  );
  follow.addEventListener('change', () => (followBox.hidden = !follow.checked));
  const sign = signatureBlock('closure-signer', { allowNone: true });
  return {
    fields: [
      reason.el,
      goals.length ? h('h2', null, t('myCases.closure.evaluation')) : null,
      rows.map((r) => r.el),
      field(t('myCases.closure.summary'), summary, { required: true }),
      satisfaction.el,
      h(
        'div',
        { class: 'check' },
        h('label', null, referTo, h('span', null, t('myCases.closure.referral'))),
      ),
      referBox,
      h(
        'div',
        { class: 'check' },
        h('label', null, follow, h('span', null, t('myCases.closure.followUp'))),
      ),
      followBox,
      h('h2', null, t('myCases.closure.signature')),
      sign.el,
    ],
    destroy: sign.destroy,
    collect() {
      if (!trimmed(summary)) return { error: 'myCases.need.summary', focus: summary };
      if (!satisfaction.value) return { error: 'myCases.need.satisfaction' };
      if (referTo.checked && !trimmed(org))
        return { error: 'myCases.need.organisation', focus: org };
      const days = Number(followDays.value);
      if (
        follow.checked &&
        (!trimmed(followTitle) || !Number.isInteger(days) || days < 0 || days > 90)
      )
        return { error: 'myCases.need.followUp', focus: followTitle };
      const signed = sign.value();
      if (signed.error) return { error: signed.error };
      return {
        body: {
          reason: reason.value,
          evaluation: rows.map((r) => r.value()),
          summary: trimmed(summary),
          satisfaction: satisfaction.value,
          referral: referTo.checked
            ? { organisation: trimmed(org), contact: trimmed(orgContact), note: trimmed(referNote) }
            : null,
          follow_up: follow.checked
            ? {
                title: trimmed(followTitle),
                due_in_days: days,
                assignee_id: followWho.value || null,
              }
            : null,
        },
        signature: signed.signature,
      };
    },
  };
}

const FORMS = {
  intake: intakeForm,
  assessment: assessmentForm,
  plan: planForm,
  contact: contactForm,
  review: reviewForm,
  closure: closureForm,
};

/** One step's form (#/my-case/<id>/<kind>): fill, save as a record, back to the case. */
export function caseFormView(app, [id, kind]) {
  const el = h('section', { class: `view my-case-form ${kind}` });
  let form = null;
  (async () => {
    const c = await cases.get(id);
    if (!c || !FORMS[kind] || !cases.allowedKinds(c).includes(kind)) {
      app.go(c ? `my-case/${id}` : 'my-cases', true);
      return;
    }
    const resident = roster.resident(c.resident_id);
    form = FORMS[kind](c, resident);
    const err = h('p', { class: 'error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'btn big' }, icon('✓'), t('myCases.save'));
    const heading =
      kind === 'assessment' && c.records.some((r) => r.kind === 'assessment')
        ? 'myCases.action.reassess'
        : kind === 'plan' && cases.planOf(c)
          ? 'myCases.action.newPlan'
          : `myCases.action.${kind}`;
    append(
      clear(el),
      h(
        'p',
        { class: 'sub' },
        h(
          'a',
          { href: `#/my-case/${id}` },
          icon('←'),
          ' ',
          c.resident_name || resident?.name || '',
        ),
      ),
      h('h1', null, t(heading)),
      h(
        'form',
        {
          novalidate: true,
          oninput: () => (err.textContent = ''),
          onsubmit: async (e) => {
            e.preventDefault();
            err.textContent = '';
            const out = form.collect();
            if (out.error) {
              err.textContent = `⚠ ${t(out.error)}`;
              out.focus?.focus();
              return;
            }
            save.disabled = true;
            await cases.record(id, kind, out.body, out.signature || null);
            app.toast(t('myCases.saved', { what: t(`myCases.kind.${kind}`) }));
            app.go(`my-case/${id}`);
          },
        },
        form.fields,
        err,
        h(
          'div',
          { class: 'row actions' },
          save,
          h('a', { class: 'btn secondary', href: `#/my-case/${id}` }, t('common.cancel')),
        ),
      ),
    );
  })();
  return { el, title: t(`myCases.kind.${kind}`), destroy: () => form?.destroy?.() };
}

// ---- opening a case ----------------------------------------------------------------------

/**
 * The part of a form that opens a case for a resident: the source (a concern of the last round,
 * the resident's or the family's request, a referral, with who referred). onOpened(caseId).
 */
export function openCaseForm(resident, { onOpened, onCancel, exceptVisitId = null }) {
  const box = h('div', { class: 'my-case-open card' });
  (async () => {
    const before = await lastVisit(resident.id, exceptVisitId);
    const concern = before && findings(before).some((line) => line.startsWith('⚠'));
    const sources = cases.SOURCES.filter((s) => s !== 'round_finding' || concern);
    const source = picked(
      `case-source-${resident.id}`,
      t('myCases.open.source'),
      sources.map((s) => [s, t(`myCases.source.${s}`)]),
      sources[0],
    );
    const note = text();
    const err = h('p', { class: 'error', role: 'alert' });
    append(
      clear(box),
      h('h3', null, t('myCases.open.title')),
      concern ? h('p', { class: 'hint' }, t('myCases.open.fromFinding')) : null,
      source.el,
      field(t('myCases.open.note'), note, { hint: t('myCases.open.noteHint') }),
      err,
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            onclick: async () => {
              if (source.value === 'referral' && !trimmed(note)) {
                err.textContent = `⚠ ${t('myCases.need.referrer')}`;
                return note.focus();
              }
              const id = await cases.openCase({
                resident,
                source: source.value,
                sourceNote: trimmed(note) || null,
                visitId: source.value === 'round_finding' ? before.id : null,
              });
              onOpened(id);
            },
          },
          t('myCases.open.confirm'),
        ),
        onCancel
          ? h(
              'button',
              { type: 'button', class: 'btn secondary', onclick: onCancel },
              t('common.cancel'),
            )
          : null,
      ),
    );
  })();
  return box;
}

/** #/my-case-open: pick a resident of the roster (by name or room), then open their case. */
export function openCaseView(app) {
  const el = h('section', { class: 'view my-case-open-view' });
  const search = h('input', { type: 'search', autocomplete: 'off' });
  const list = h('ul', { class: 'plain my-case-pick' });
  const spot = h('div');
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const found = [];
    for (const g of roster.grouped())
      for (const e of g.items)
        if (!q || e.r.name.toLowerCase().includes(q) || String(e.r.room || '').includes(q))
          if (found.push(e.r) >= 20) break;
    list.replaceChildren(
      ...found.map((r) =>
        h(
          'li',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'btn secondary',
              onclick: () => {
                list.replaceChildren();
                spot.replaceChildren(
                  h('h2', null, r.name),
                  openCaseForm(r, {
                    onOpened: (id) => {
                      app.toast(t('myCases.opened.toast', { name: r.name }));
                      app.go(`my-case/${id}`);
                    },
                    onCancel: () => {
                      spot.replaceChildren();
                      draw();
                    },
                  }),
                );
              },
            },
            [r.name, r.room || r.address].filter(Boolean).join(' · '),
          ),
        ),
      ),
    );
  };
  search.addEventListener('input', draw);
  append(
    el,
    h('p', { class: 'sub' }, h('a', { href: '#/my-cases' }, icon('←'), ' ', t('myCases.back'))),
    h('h1', null, t('myCases.openOne')),
    field(t('myCases.open.pick'), search),
    list,
    spot,
  );
  draw();
  return { el, title: t('myCases.openOne') };
}
