// What a pull carrying one case weighs on the wire (gzip, as the server answers phones that
// accept it): budget 5 KB (docs/benchmarks.md). The case is shaped as docs/cases.md's pull
// entry, with what a real one holds after a month: the intake's register form, an assessment
// of the six domains, a plan of three goals and four steps with its services, three contacts
// (a visit, a call, a family meeting) and a review, in Chinese as the workers write them.
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

const BUDGET = 5 * 1024;
const author = { id: randomUUID(), display_name: '王芳 Wang Fang' };
const stamp = (day, hour) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:14:07.318204+00:00`;

function record(kind, day, body, version = 1, signed = null) {
  return { id: randomUUID(), kind, at: stamp(day, 2), author, version, body, signed };
}

export function realisticCase() {
  const goals = [
    ['每周参加两次集体活动', '活动签到记录', '2027-01-31'],
    ['与儿子每周至少通话一次', '老人自述及家属反馈', '2027-01-15'],
    ['情绪量表得分改善', 'GDS-15 得分由 9 分降至 5 分以下', '2027-02-28'],
  ].map(([text, measure, target_on]) => ({ id: randomUUID(), text, measure, target_on }));
  const steps = [
    ['邀请参加书法小组', 0, null],
    ['联系儿子商定探望时间', 1, null],
    ['每两周一次心理辅导', 2, author.id],
    ['协调护理员陪同下楼散步', 0, randomUUID()],
  ].map(([title, g, assignee_id], i) => ({
    id: randomUUID(),
    title,
    goal_id: goals[g].id,
    assignee_id,
    due_on: `2026-12-${String(5 + i * 4).padStart(2, '0')}`,
  }));
  const needs = [
    ['physical', 'mild', 4, '膝关节疼痛，行走需要扶手。'],
    ['emotional', 'severe', 1, '老伴去世后情绪低落，常独自流泪，睡眠差。'],
    ['social', 'moderate', 2, '很少离开房间，与同楼老人几乎没有来往。'],
    ['living', 'mild', 5, '生活基本自理，洗澡需要协助。'],
    ['economic', 'none', 6, ''],
    ['spiritual', 'moderate', 3, '以前喜欢书法，现在不再写字。'],
  ].map(([domain, severity, priority, notes]) => ({ domain, severity, priority, notes }));
  const records = [
    record('intake', 2, {
      register: {
        office: '幸福里社区养老服务站',
        worker_phone: '138 0013 8000',
        client_phone: '021-6543 2100',
        address: '3号楼 2层 205室',
        problems: '老伴去世三个月，情绪低落，不愿出门，儿子在外地工作，很少联系。',
      },
      consent: { given: true, by: 'resident', name: '李秀英' },
    }),
    record('assessment', 5, {
      needs,
      risks: ['isolation', 'fall'],
      summary: '丧偶后的哀伤反应明显，社会支持薄弱，有跌倒风险，需要精神慰藉和社会支持网络建设。',
    }),
    record(
      'plan',
      9,
      {
        goals,
        steps,
        services: ['emotional_support', 'support_network', 'group_work', 'counselling'],
        review_every_weeks: 4,
        agreed: { signer: 'resident', signer_name: null },
      },
      1,
      { signer: 'resident', signer_name: null },
    ),
    record('contact', 12, {
      mode: 'visit',
      visit_id: randomUUID(),
      goal_ids: [goals[0].id],
      summary: '陪同老人参观书法小组活动室，老人表示下周愿意试一次。',
      minutes: 35,
    }),
    record('contact', 16, {
      mode: 'phone',
      visit_id: null,
      goal_ids: [goals[1].id],
      summary: '与儿子电话沟通，约定每周日晚上视频通话。',
      minutes: 15,
    }),
    record('contact', 23, {
      mode: 'family_meeting',
      visit_id: null,
      goal_ids: [goals[1].id, goals[2].id],
      summary: '儿子回沪探望，与老人、护理员一起商量照顾安排，老人心情明显好转。',
      minutes: 60,
    }),
    record('review', 30, {
      progress: [
        { goal_id: goals[0].id, status: 'in_progress', note: '已参加三次书法小组。' },
        { goal_id: goals[1].id, status: 'achieved', note: '每周日视频通话。' },
        { goal_id: goals[2].id, status: 'in_progress', note: 'GDS-15 得分 7 分。' },
      ],
      summary: '整体进展良好，继续按计划介入。',
    }),
  ];
  return {
    id: randomUUID(),
    resident_id: randomUUID(),
    resident_name: '李秀英',
    unit_id: randomUUID(),
    worker_id: author.id,
    source: 'round_finding',
    source_note: null,
    visit_id: randomUUID(),
    stage: 'intervention',
    opened_at: stamp(2, 1),
    closed_at: null,
    archived_at: null,
    last_contact_at: stamp(23, 2),
    review_due_on: '2026-12-28',
    change_seq: 184467,
    records,
  };
}

describe('a pull carrying one case', () => {
  it('is under 5 KB gzip', () => {
    const pull = {
      results: [],
      units: [],
      residents: [],
      tasks: [],
      cases: [realisticCase()],
      removed: { residents: [], units: [], tasks: [], cases: [] },
      reset: false,
      cursor: 'eyJzIjoxMjM0NSwicCI6bnVsbCwidSI6IjNhYmMiLCJ3IjoiMjAyNi1XNDkifQ',
      more: false,
      server_time: '2026-12-03T10:00:00+08:00',
    };
    const json = JSON.stringify(pull);
    const bytes = new TextEncoder().encode(json).length;
    const zipped = gzipSync(json, { level: 6 }).length; // the server's level (flask-compress)
    console.log(
      `pull of one case with ${pull.cases[0].records.length} records: ${(bytes / 1024).toFixed(1)} KB JSON (UTF-8), ${(zipped / 1024).toFixed(2)} KB gzip`,
    );
    expect(zipped).toBeLessThan(BUDGET);
  });
});
