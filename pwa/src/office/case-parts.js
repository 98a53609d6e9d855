// Pieces of the office's case screens shared by the case board, a case's page and the resident's
// page: the stage as a tag, and each record drawn for reading by its kind (the register form and
// consent, needs per domain, plan versions with links to their tasks, contacts, reviews, the
// closure, the sign-off) with its signature.
import { h } from '../lib/dom.js';
import { t } from '../lib/i18n/index.js';
import { authImage, fmtDateTime, fmtDay, table } from './ui.js';
import { needsByDomain, isPressing, stepTaskIds, goalsById } from './case-logic.js';

const STAGE_SYMBOL = {
  intake: '①',
  assessment: '②',
  intervention: '③',
  closing: '④',
  archived: '✓',
};

/** The stage in words with a symbol (colour only helps). */
export const stageTag = (stage) =>
  h(
    'span',
    { class: `tag case-stage case-stage-${stage}` },
    h('span', { 'aria-hidden': 'true' }, `${STAGE_SYMBOL[stage] || ''} `),
    t(`cases.stage.${stage}`),
  );

const personName = (p) => p?.display_name || p?.username || '—';
const text = (v) => (v === undefined || v === null || v === '' ? '—' : String(v));
const facts = (pairs) =>
  h(
    'dl',
    { class: 'summary-list case-facts' },
    pairs
      .filter(Boolean)
      .flatMap(([label, value]) => [h('dt', null, label), h('dd', { class: 'pre' }, value ?? '—')]),
  );

/** A goal's words by its id ('—' when no plan names it). */
const goalText = (goals, id) => goals.get(id)?.text || '—';

/** The signature of a record: the image when signed, the proxy's name, or why there is none. */
function signatureBox(api, record) {
  const signed = record.signed;
  if (!signed) return null;
  if (signed.signer === 'none')
    return h(
      'p',
      null,
      t('cases.notSigned', { reason: signed.reason || signed.signer_name || '—' }),
    );
  const who =
    signed.signer === 'proxy'
      ? t('cases.signedByProxy', { name: signed.signer_name || '—' })
      : t('cases.signedByClient');
  return h(
    'div',
    { class: 'case-signature' },
    h('p', null, who),
    record.signature_url
      ? authImage(
          api,
          record.signature_url,
          t('cases.signatureOf', { what: t(`cases.kind.${record.kind}`) }),
          'sig-preview',
        )
      : null,
  );
}

function intakeBody(body) {
  const reg = body.register || {};
  const consent = body.consent || {};
  return facts([
    [t('cases.register.office'), text(reg.office)],
    [t('cases.register.workerPhone'), text(reg.worker_phone)],
    [t('cases.register.clientPhone'), text(reg.client_phone)],
    [t('cases.register.address'), text(reg.address)],
    [t('cases.register.problems'), text(reg.problems)],
    [
      t('cases.consent'),
      consent.given
        ? t('cases.consentGiven', {
            by: t(`cases.consentBy.${consent.by || 'resident'}`),
            name: consent.name || '—',
          })
        : t('cases.consentMissing'),
    ],
  ]);
}

function assessmentBody(body) {
  const risks = body.risks || [];
  return h(
    'div',
    null,
    risks.length
      ? h(
          'p',
          { class: 'banner warn case-risks', role: 'note' },
          '⚠ ',
          t('cases.risks', {
            list: risks.map((r) => t(`cases.risk.${r}`)).join(t('cases.listSep')),
          }),
        )
      : h('p', { class: 'note' }, t('cases.noRisks')),
    needsByDomain(body).map((group) =>
      table(
        t(`cases.domain.${group.domain}`),
        [
          { label: t('cases.need.severity'), cell: (n) => t(`cases.severity.${n.severity}`) },
          { label: t('cases.need.priority'), num: true, cell: (n) => text(n.priority) },
          { label: t('cases.need.notes'), cell: (n) => text(n.notes) },
        ],
        group.needs,
        { rowClass: (n) => (isPressing(n) ? 'case-need-pressing' : null) },
      ),
    ),
    body.summary ? facts([[t('cases.summary'), body.summary]]) : null,
  );
}

/** A plan version; a step given to no one is the case's worker's (as its task is). */
function planBody(api, record, taskIds, names, workerId) {
  const body = record.body;
  const goals = body.goals || [];
  return h(
    'div',
    null,
    h('h4', null, t('cases.plan.goals', { n: goals.length })),
    h(
      'ol',
      { class: 'case-goals' },
      goals.map((g) =>
        h(
          'li',
          null,
          h('strong', null, g.text || '—'),
          g.measure ? h('span', null, ` — ${t('cases.plan.measure', { what: g.measure })}`) : null,
          g.target_on
            ? h('span', null, ` · ${t('cases.plan.target', { date: fmtDay(g.target_on) })}`)
            : null,
        ),
      ),
    ),
    h('h4', null, t('cases.plan.steps', { n: (body.steps || []).length })),
    h(
      'ol',
      { class: 'case-steps' },
      (body.steps || []).map((step) =>
        h(
          'li',
          null,
          taskIds.get(step.id)
            ? h('a', { href: `#/tasks/${taskIds.get(step.id)}` }, step.title || '—')
            : h('strong', null, text(step.title)),
          h(
            'span',
            { class: 'hint case-step-meta' },
            [
              t('cases.plan.forGoalText', {
                goal: goals.find((g) => g.id === step.goal_id)?.text || '—',
              }),
              step.assignee_id
                ? names.get(step.assignee_id) || t('cases.plan.someone')
                : names.get(workerId) || t('cases.plan.caseWorker'),
              t('cases.plan.dueText', { date: fmtDay(step.due_on) }),
            ].join(' · '),
          ),
        ),
      ),
    ),
    facts([
      [
        t('cases.plan.services'),
        (body.services || []).map((code) => t(`cases.service.${code}`)).join(t('cases.listSep')) ||
          '—',
      ],
      [
        t('cases.plan.reviewEvery'),
        body.review_every_weeks ? t('cases.plan.weeks', { n: body.review_every_weeks }) : '—',
      ],
    ]),
    signatureBox(api, record),
  );
}

function contactBody(body, goals) {
  return facts([
    [t('cases.contact.mode'), t(`cases.mode.${body.mode}`)],
    body.minutes ? [t('cases.contact.minutes'), t('cases.minutes', { n: body.minutes })] : null,
    (body.goal_ids || []).length
      ? [
          t('cases.contact.goals'),
          body.goal_ids.map((id) => goalText(goals, id)).join(t('cases.listSep')),
        ]
      : null,
    body.visit_id ? [t('cases.contact.visit'), t('cases.contact.withVisit')] : null,
    [t('cases.summary'), text(body.summary)],
  ]);
}

function progressTable(caption, rows, goals) {
  return table(
    caption,
    [
      { label: t('cases.goal'), cell: (p) => goalText(goals, p.goal_id) },
      {
        label: t('cases.goalStatus'),
        cell: (p) =>
          h('span', { class: `tag case-goal-${p.status}` }, t(`cases.goalStatus.${p.status}`)),
      },
      { label: t('cases.note'), cell: (p) => text(p.note) },
    ],
    rows || [],
  );
}

function reviewBody(body, goals) {
  return h(
    'div',
    null,
    progressTable(t('cases.review.progress'), body.progress, goals),
    facts([[t('cases.summary'), text(body.summary)]]),
  );
}

function closureBody(api, record, goals, names) {
  const body = record.body;
  const ref = body.referral;
  const follow = body.follow_up;
  return h(
    'div',
    null,
    facts([[t('cases.closure.reason'), t(`cases.reason.${body.reason}`)]]),
    progressTable(t('cases.closure.evaluation'), body.evaluation, goals),
    facts([
      [t('cases.summary'), text(body.summary)],
      [
        t('cases.closure.satisfaction'),
        body.satisfaction ? t(`satisfaction.${body.satisfaction}`) : '—',
      ],
      [
        t('cases.closure.referral'),
        ref
          ? [ref.organisation, ref.contact, ref.note].filter(Boolean).join(' · ') || '—'
          : t('cases.none'),
      ],
      [
        t('cases.closure.followUp'),
        follow
          ? t('cases.closure.followUpText', {
              title: follow.title || '—',
              n: follow.due_in_days ?? '—',
              who: follow.assignee_id ? names.get(follow.assignee_id) || '—' : '—',
            })
          : t('cases.none'),
      ],
    ]),
    signatureBox(api, record),
  );
}

/** Everyone the case's page knows of, by id: its worker and every record's author. */
export function caseNames(c) {
  const names = new Map();
  if (c.worker?.id) names.set(c.worker.id, personName(c.worker));
  for (const r of c.records || []) if (r.author?.id) names.set(r.author.id, personName(r.author));
  return names;
}

/** One record for reading: its kind (and version), who and when, then its body by kind. */
export function recordCard(api, c, record, names = caseNames(c)) {
  const goals = goalsById(c);
  const body = record.body || {};
  const versioned = record.kind === 'plan' || record.kind === 'assessment';
  const kind = t(`cases.kind.${record.kind}`);
  const content = {
    intake: () => intakeBody(body),
    assessment: () => assessmentBody(body),
    plan: () => planBody(api, record, stepTaskIds(c), names, c.worker_id || c.worker?.id),
    contact: () => contactBody(body, goals),
    review: () => reviewBody(body, goals),
    closure: () => closureBody(api, record, goals, names),
    signoff: () => facts([[t('cases.signoff.note'), text(body.note)]]),
  }[record.kind];
  return h(
    'li',
    { class: `card case-record case-record-${record.kind}`, id: `record-${record.id}` },
    h(
      'h3',
      { class: 'case-record-head' },
      versioned && record.version ? t('cases.kindVersion', { kind, n: record.version }) : kind,
    ),
    h(
      'p',
      { class: 'hint' },
      `${personName(record.author)} · `,
      h('time', { datetime: record.at }, fmtDateTime(record.at)),
    ),
    content ? content() : null,
  );
}
