import { describe, it, expect } from 'vitest';
import en from '../src/lib/i18n/en.json';
import zh from '../src/lib/i18n/zh-CN.json';
import { qs } from '../src/office/logic.js';
import {
  CASE_STAGES,
  CASE_SOURCES,
  RECORD_KINDS,
  NEED_DOMAINS,
  SEVERITIES,
  RISK_FLAGS,
  CONTACT_MODES,
  GOAL_STATUSES,
  CLOSURE_REASONS,
  SERVICE_CODES,
  caseQuery,
  stageCounts,
  caseloadRows,
  recordsInOrder,
  planInForce,
  goalsById,
  officeActions,
  pastRetention,
  needsByDomain,
  isPressing,
  stepTaskIds,
  uuid5,
} from '../src/office/case-logic.js';

const PLAN_1 = '6f1c2b9e-3d4a-4c5b-9e8f-0a1b2c3d4e5f';
const rec = (kind, at, extra = {}) => ({ id: `${kind}-${at}`, kind, at, version: 1, ...extra });
const plan = (id, at, version, goals, steps) => ({
  id,
  kind: 'plan',
  at,
  version,
  body: { goals, steps },
});

describe('the case board', () => {
  it('asks the API for exactly the filters chosen', () => {
    const q = caseQuery({
      unit: 'u1',
      stage: 'closing',
      worker: '',
      attention: 'review_due',
      page: 2,
    });
    expect(qs(q)).toBe('?unit_id=u1&stage=closing&attention=review_due&page=2&per_page=25');
  });

  it('drops an attention the API does not know', () => {
    expect(caseQuery({ attention: 'everything' }).attention).toBe('');
  });

  it('lists every stage in the order a case goes, zero where none', () => {
    expect(stageCounts({ by_stage: { closing: 2, intake: 1 } })).toEqual([
      { stage: 'intake', n: 1 },
      { stage: 'assessment', n: 0 },
      { stage: 'intervention', n: 0 },
      { stage: 'closing', n: 2 },
      { stage: 'archived', n: 0 },
    ]);
  });

  it('puts the heaviest caseload first', () => {
    const rows = caseloadRows({
      caseload: [
        { worker: { display_name: 'B' }, open: 1 },
        { worker: { display_name: 'A' }, open: 1 },
        { worker: { display_name: 'C' }, open: 4 },
      ],
    });
    expect(rows.map((r) => r.worker.display_name)).toEqual(['C', 'A', 'B']);
  });
});

describe('a case page', () => {
  it('reads the records in the order they were made', () => {
    const c = [
      rec('plan', '2026-03-02T10:00:00+08:00'),
      rec('intake', '2026-03-01T09:00:00+08:00'),
      rec('assessment', '2026-03-01T11:00:00+08:00', { version: 2 }),
      rec('assessment', '2026-03-01T11:00:00+08:00'),
    ];
    expect(recordsInOrder(c).map((r) => `${r.kind}${r.version}`)).toEqual([
      'intake1',
      'assessment1',
      'assessment2',
      'plan1',
    ]);
  });

  it('offers contact and review while the case is worked, the sign-off once closing', () => {
    const planned = { stage: 'intervention', records: [plan(PLAN_1, 'x', 1, [], [])] };
    expect(officeActions(planned, 'supervisor')).toEqual({
      contact: true,
      review: true,
      signoff: false,
    });
    expect(officeActions({ stage: 'assessment', records: [] }, 'supervisor')).toEqual({
      contact: true,
      review: false,
      signoff: false,
    });
    expect(officeActions({ stage: 'closing', records: [] }, 'admin').signoff).toBe(true);
    expect(officeActions({ stage: 'closing', records: [] }, 'worker').signoff).toBe(false);
  });

  it('offers nothing once archived', () => {
    const archived = { stage: 'archived', records: [plan(PLAN_1, 'x', 1, [], [])] };
    expect(Object.values(officeActions(archived, 'admin'))).toEqual([false, false, false]);
  });

  it('lets an admin purge only after the retention has passed', () => {
    const now = new Date('2036-06-01T00:00:00Z');
    expect(pastRetention({ stage: 'archived', archived_at: '2026-01-01T00:00:00Z' }, now)).toBe(
      true,
    );
    expect(pastRetention({ stage: 'archived', archived_at: '2030-01-01T00:00:00Z' }, now)).toBe(
      false,
    );
    expect(pastRetention({ stage: 'closing', archived_at: null }, now)).toBe(false);
    const judged = { stage: 'archived', archived_at: '2030-01-01T00:00:00Z', purgeable: true };
    expect(pastRetention(judged, now)).toBe(true);
  });

  it('takes the newest plan version, and knows the goals of every version', () => {
    const c = {
      records: [
        plan('p2', '2026-03-05', 2, [{ id: 'g1', text: 'Walks daily' }], []),
        plan(
          'p1',
          '2026-03-02',
          1,
          [
            { id: 'g1', text: 'Walks' },
            { id: 'g0', text: 'Old' },
          ],
          [],
        ),
      ],
    };
    expect(planInForce(c).id).toBe('p2');
    const goals = goalsById(c);
    expect(goals.get('g1').text).toBe('Walks daily');
    expect(goals.get('g0').text).toBe('Old');
  });

  it('groups an assessment’s needs by domain, most pressing first', () => {
    const groups = needsByDomain({
      needs: [
        { domain: 'social', severity: 'mild', priority: 3 },
        { domain: 'physical', severity: 'moderate', priority: 2 },
        { domain: 'social', severity: 'severe', priority: 1 },
      ],
    });
    expect(groups.map((g) => g.domain)).toEqual(['physical', 'social']);
    expect(groups[1].needs.map((n) => n.priority)).toEqual([1, 3]);
    expect(isPressing({ severity: 'severe', priority: 4 })).toBe(true);
    expect(isPressing({ severity: 'mild', priority: 2 })).toBe(false);
  });
});

describe('plan steps as tasks', () => {
  it('names the task the server raised, as Python’s uuid5 does', () => {
    expect(uuid5(PLAN_1, 'step-1')).toBe('e6592e4c-de3c-5d80-9519-a9963abaf36d');
    expect(uuid5(PLAN_1, 's'.repeat(70))).toBe('07932283-1082-53d6-86f1-63470dce71ac');
    expect(uuid5(PLAN_1, '照顾')).toBe('7f064dbb-fba5-5be5-bc45-7a7bfc0b6510');
  });

  it('keeps a step’s task from the version that first named it', () => {
    const later = '11111111-2222-4333-8444-555555555555';
    const c = {
      records: [
        plan(PLAN_1, '2026-03-02', 1, [], [{ id: 'step-1' }]),
        plan(later, '2026-03-09', 2, [], [{ id: 'step-1' }, { id: 'step-2' }]),
      ],
    };
    const ids = stepTaskIds(c);
    expect(ids.get('step-1')).toBe('e6592e4c-de3c-5d80-9519-a9963abaf36d');
    expect(ids.get('step-2')).toBe(uuid5(later, 'step-2'));
  });

  it('uses the task id the server gives', () => {
    const c = { records: [plan(PLAN_1, 'x', 1, [], [{ id: 's', task_id: 'given' }])] };
    expect(stepTaskIds(c).get('s')).toBe('given');
  });
});

describe('the words of cases', () => {
  const runtime = [
    ...CASE_STAGES.map((s) => `cases.stage.${s}`),
    ...CASE_SOURCES.map((s) => `cases.source.${s}`),
    ...RECORD_KINDS.map((s) => `cases.kind.${s}`),
    ...NEED_DOMAINS.map((s) => `cases.domain.${s}`),
    ...SEVERITIES.map((s) => `cases.severity.${s}`),
    ...RISK_FLAGS.map((s) => `cases.risk.${s}`),
    ...CONTACT_MODES.map((s) => `cases.mode.${s}`),
    ...GOAL_STATUSES.map((s) => `cases.goalStatus.${s}`),
    ...CLOSURE_REASONS.map((s) => `cases.reason.${s}`),
    ...SERVICE_CODES.map((s) => `cases.service.${s}`),
    'cases.attention.review_due',
    'cases.attention.no_contact',
    'cases.attention.review_dueShow',
    'cases.attention.no_contactShow',
    'cases.consentBy.resident',
    'cases.consentBy.family',
    'cases.done.contact',
    'cases.done.review',
    'cases.done.signoff',
  ];

  it('hold every key built at run time, in both languages', () => {
    for (const k of runtime) {
      expect(en, k).toHaveProperty([k]);
      expect(zh, k).toHaveProperty([k]);
    }
  });

  it('name the stages and services the way the office rules do', () => {
    expect(CASE_STAGES.map((s) => zh[`cases.stage.${s}`])).toEqual([
      '接案',
      '预估',
      '介入',
      '结案待审',
      '已归档',
    ]);
    expect(SERVICE_CODES.map((s) => zh[`cases.service.${s}`]).join('、')).toBe(
      '救助服务、照顾安排、适老化环境改造、家庭辅导、精神慰藉、危机干预、社会支持网络建设、社区参与、老年教育、咨询服务、权益保障、政策倡导、临终关怀、新入住适应计划、心理辅导、小组工作、转介',
    );
  });

  it('use full-width punctuation in Chinese', () => {
    for (const [k, v] of Object.entries(zh))
      if (k.startsWith('cases.')) expect(v, k).not.toMatch(/[,:;?!()]|\.(\s|$)/);
  });
});
