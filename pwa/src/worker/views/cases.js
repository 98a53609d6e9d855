// My cases: the open cases on the phone (the worker's own first), each with its stage, the
// resident, the next review and the days since the last contact; one case's screen: its stage,
// the plan in force, one action per step the case allows now (case-forms.js) and the history of
// its records. All of it works offline: each step is a record in the outbox (state/cases.js).
// The list is plain DOM, one link per case, so 60 cases draw at once on a slow phone.
import { h, append, clear, icon } from '../../lib/dom.js';
import { t, fmtWhen } from '../../lib/i18n/index.js';
import { today } from '../../lib/dates.js';
import { roster, cases } from '../../state/index.js';
import { fmtDay } from './tasks.js';
import { caseFormView } from './case-forms.js';

/** As the server's ROUNDS_CASE_NO_CONTACT_DAYS default (docs/cases.md, "Office API"). */
const NO_CONTACT_DAYS = 14;
const STAGES = ['intake', 'assessment', 'intervention', 'closing', 'archived'];
const ACTION_ICON = {
  intake: '✎',
  assessment: '◎',
  plan: '☰',
  contact: '☏',
  review: '↻',
  closure: '✓',
};

export const residentName = (c) =>
  roster.resident(c.resident_id)?.name || c.resident_name || t('visit.unknownResident');

/** The stage as a tag: its step number and its name (colour only helps). */
export const stageTag = (stage) =>
  h(
    'span',
    { class: `tag my-case-stage ${stage}` },
    `${STAGES.indexOf(stage) + 1}/5 ${t(`myCases.stage.${stage}`)}`,
  );

/** "Review due Mon 21 Dec", "Review overdue since …", or nothing before a plan. */
export function reviewText(c, day = today()) {
  if (!c.review_due_on) return c.stage === 'closing' ? t('myCases.awaitingSignoff') : null;
  if (c.review_due_on < day) return t('myCases.reviewOverdue', { date: fmtDay(c.review_due_on) });
  return t('myCases.reviewDue', { date: fmtDay(c.review_due_on) });
}

/** "Contact today", "No contact for 9 days". */
export function contactText(c, now = new Date()) {
  const n = cases.daysSinceContact(c, now);
  if (n === null) return null;
  if (!c.last_contact_at) return t('myCases.noContactYet', { n });
  return n === 0 ? t('myCases.contactToday') : t('myCases.daysSinceContact', { n });
}

function caseRow(c, day, now) {
  const review = reviewText(c, day);
  // Late: the review is overdue, or no contact for NO_CONTACT_DAYS (the office's "no contact").
  const late =
    (c.review_due_on && c.review_due_on < day) || cases.daysSinceContact(c, now) >= NO_CONTACT_DAYS;
  const contact = contactText(c, now);
  return h(
    'li',
    null,
    h(
      'a',
      {
        class: `my-case-row${late ? ' overdue' : ''}`,
        href: `#/my-case/${c.id}`,
        'aria-label': [residentName(c), t(`myCases.stage.${c.stage}`), review, contact]
          .filter(Boolean)
          .join(', '),
      },
      h('span', { class: 'my-case-who' }, residentName(c)),
      stageTag(c.stage),
      h(
        'span',
        { class: `my-case-when${late ? ' overdue' : ''}` },
        late ? icon('⚠ ') : null,
        [review, contact].filter(Boolean).join(' · '),
      ),
      cases.isMine(c) ? null : h('span', { class: 'my-case-other' }, t('myCases.othersCase')),
    ),
  );
}

/** The list of open cases. */
export function casesView() {
  let started = performance.now(); // the screen measures itself (bench/pwa_budget.py)
  const summary = h('p', { class: 'summary', role: 'status' });
  const list = h('ul', { class: 'my-case-list' });
  const el = h(
    'section',
    { class: 'view my-cases' },
    h('h1', null, t('myCases.title')),
    summary,
    h('a', { class: 'btn secondary', href: '#/my-case-open' }, icon('+'), t('myCases.openOne')),
    list,
  );
  let ticket = 0;
  async function draw() {
    const mine = ++ticket;
    const open = await cases.open();
    if (mine !== ticket) return;
    performance.measure('cases-read', { start: started, end: performance.now() });
    const day = today();
    const now = new Date();
    const due = open.filter((c) => c.review_due_on && c.review_due_on <= day).length;
    summary.textContent = open.length
      ? t('myCases.summary', { n: open.length, due })
      : t('myCases.none');
    const frag = document.createDocumentFragment();
    for (const c of open) frag.append(caseRow(c, day, now));
    list.replaceChildren(frag);
    el.dataset.count = String(open.length);
    performance.measure('cases-list', { start: started, end: performance.now() });
  }
  draw();
  const refresh = () => {
    started = performance.now();
    return draw();
  };
  return { el, title: t('myCases.title'), refresh };
}

/** What a record says, in one line of the history. */
function recordDetail(r) {
  const b = r.body || {};
  switch (r.kind) {
    case 'intake':
      return b.register?.problems || '';
    case 'assessment':
      return [(b.risks || []).map((k) => `⚠ ${t(`myCases.risk.${k}`)}`).join(' '), b.summary || '']
        .filter(Boolean)
        .join(' · ');
    case 'plan':
      return t('myCases.planLine', {
        goals: (b.goals || []).length,
        steps: (b.steps || []).length,
      });
    case 'contact':
      return [
        t(`myCases.mode.${b.mode}`),
        b.minutes ? t('myCases.minutes', { n: b.minutes }) : '',
        b.summary,
      ]
        .filter(Boolean)
        .join(' · ');
    case 'closure':
      return [
        t(`myCases.reason.${b.reason}`),
        b.satisfaction ? t(`satisfaction.${b.satisfaction}`) : '',
        b.summary,
      ]
        .filter(Boolean)
        .join(' · ');
    default:
      return b.summary || b.note || '';
  }
}

function recordLine(r) {
  const detail = recordDetail(r);
  const state = r.state && r.state !== 'synced' ? r.state : null;
  return h(
    'li',
    { 'data-kind': r.kind },
    h('span', { class: 'ev-kind' }, t(`myCases.kind.${r.kind}`)),
    r.version > 1 ? ` (${t('myCases.version', { n: r.version })})` : '',
    ` · ${fmtWhen(r.at)}`,
    r.author?.display_name ? ` · ${r.author.display_name}` : '',
    r.signed ? ` · ✍ ${t('myCases.signed')}` : '',
    state
      ? h(
          'span',
          { class: 'hint' },
          ` · ${t(state === 'pending' ? 'myCases.waiting' : 'myCases.refused')}`,
        )
      : '',
    detail ? h('p', { class: 'ev-detail' }, detail) : null,
  );
}

/** The five stages as a row of steps, the current one marked. */
function stageSteps(stage) {
  const at = STAGES.indexOf(stage);
  return h(
    'ol',
    { class: 'my-case-steps', 'aria-label': t('myCases.stageLabel') },
    STAGES.map((s, i) =>
      h(
        'li',
        {
          class: i < at ? 'done' : i === at ? 'now' : '',
          'aria-current': i === at ? 'step' : null,
        },
        t(`myCases.stage.${s}`),
      ),
    ),
  );
}

/** The plan in force: goals, steps, services, the review schedule. */
function planBox(c) {
  const plan = cases.planOf(c);
  if (!plan) return null;
  const b = plan.body;
  return h(
    'div',
    { class: 'my-case-plan card' },
    h(
      'h2',
      null,
      t('myCases.planInForce', {
        n: plan.version || (c.records || []).filter((r) => r.kind === 'plan').length,
      }),
    ),
    h(
      'ol',
      { class: 'my-case-goals' },
      (b.goals || []).map((g) =>
        h(
          'li',
          null,
          h('strong', null, g.text),
          g.measure || g.target_on
            ? h(
                'p',
                { class: 'hint' },
                [g.measure, g.target_on ? t('myCases.targetBy', { date: fmtDay(g.target_on) }) : '']
                  .filter(Boolean)
                  .join(' · '),
              )
            : null,
        ),
      ),
    ),
    (b.services || []).length
      ? h(
          'p',
          null,
          `${t('myCases.services')}: `,
          b.services.map((s) => t(`myCases.service.${s}`)).join('、'),
        )
      : null,
    h('p', { class: 'hint' }, t('myCases.reviewEvery', { n: b.review_every_weeks })),
  );
}

/** One case: its stage, the plan in force, what can be recorded now, and its history. */
export function caseView(app, [id, kind]) {
  if (kind) return caseFormView(app, [id, kind]);
  const started = performance.now();
  const el = h('section', { class: 'view my-case' });
  (async () => {
    const c = await cases.get(id);
    if (!c) {
      append(
        clear(el),
        h('h1', null, t('myCases.gone')),
        h('a', { class: 'btn', href: '#/my-cases' }, t('myCases.back')),
      );
      return;
    }
    const allowed = cases.allowedKinds(c);
    const has = (k) => c.records.some((r) => r.kind === k);
    const label = (k) =>
      t(
        k === 'assessment' && has('assessment')
          ? 'myCases.action.reassess'
          : k === 'plan' && has('plan')
            ? 'myCases.action.newPlan'
            : `myCases.action.${k}`,
      );
    const facts = [
      [t('myCases.stageLabel'), stageTag(c.stage)],
      [
        t('myCases.sourceLabel'),
        [t(`myCases.source.${c.source}`), c.source_note].filter(Boolean).join(': '),
      ],
      [t('myCases.opened'), fmtWhen(c.opened_at)],
      [t('myCases.lastContact'), contactText(c) || '—'],
      [t('myCases.nextReview'), reviewText(c) || '—'],
    ];
    append(
      clear(el),
      h('p', { class: 'sub' }, h('a', { href: '#/my-cases' }, icon('←'), ' ', t('myCases.back'))),
      h('h1', { tabindex: '-1' }, residentName(c)),
      stageSteps(c.stage),
      h(
        'dl',
        { class: 'summary-list' },
        facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
      ),
      planBox(c),
      allowed.length
        ? h(
            'div',
            { class: 'my-case-actions' },
            h('h2', null, t('myCases.next')),
            allowed.map((k) =>
              h(
                'a',
                {
                  class: `btn${k === allowed[0] && !has(k) ? '' : ' secondary'}`,
                  href: `#/my-case/${c.id}/${k}`,
                },
                icon(ACTION_ICON[k]),
                ' ',
                label(k),
              ),
            ),
          )
        : h(
            'p',
            { class: 'note' },
            c.stage === 'closing' ? t('myCases.closingNote') : t('myCases.archivedNote'),
          ),
      h('h2', null, t('myCases.history')),
      c.records.length
        ? h('ul', { class: 'plain history my-case-history' }, c.records.map(recordLine))
        : h('p', { class: 'note' }, t('myCases.noRecords')),
    );
    el.dataset.ready = '1';
    performance.measure('case-view', { start: started, end: performance.now() });
  })();
  return { el, title: t('myCases.case') };
}
