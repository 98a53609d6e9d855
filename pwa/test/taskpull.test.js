// What a pull carrying 200 open tasks weighs on the wire (gzip, as the server answers phones
// that accept it): budget 20 KB (docs/benchmarks.md). The entries are shaped as the server's
// task_entry (server/tasks/read.py) writes them, with what a ward's tasks really hold: random
// ids, Chinese names, the server's bilingual finding titles, the visit's notes as details.
import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

const BUDGET = 20 * 1024;
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '秀英明华丽军伟芳娜敏静磊强洋艳勇杰娟涛超';
const FINDINGS = {
  living: '生活状况需关注 Living conditions: concern',
  emotional: '情绪状况需关注 Emotional state: concern',
  physical: '身体状况需关注 Physical condition: concern',
  unsatisfied: '老人不满意 Resident unsatisfied',
  follow_up: '需要跟进 Follow-up asked for',
};
const NOTES = [
  '咳嗽两天，夜里睡不好，已告诉护士。',
  '说儿子很久没来看她，情绪低落，吃饭少。',
  '房间有异味，床单需要更换，已联系保洁。',
  '膝盖疼，走路不稳，建议请医生看看。',
  '对午饭不满意，说太咸。',
  '',
];

/** A small deterministic generator, so the figure is the same on every run. */
function sequence(seed) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

export function realisticPull(n = 200) {
  const random = sequence(7);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const units = Array.from({ length: 3 }, () => randomUUID());
  const workers = Array.from({ length: 4 }, (_, i) => ({
    id: randomUUID(),
    display_name: ['王芳 Wang Fang', '李娜 Li Na', '张伟 Zhang Wei', '陈静 Chen Jing'][i],
  }));
  const residents = Array.from({ length: 120 }, (_, i) => ({
    id: randomUUID(),
    name: SURNAMES[i % 20] + GIVEN[(i * 7) % 20] + GIVEN[(i * 13) % 20],
    unit_id: units[i % 3],
  }));
  const tasks = Array.from({ length: n }, (_, i) => {
    const resident = pick(residents);
    const finding = pick(Object.keys(FINDINGS));
    const manual = random() < 0.2;
    const day = 1 + Math.floor(random() * 28);
    const stamp = `2026-11-${String(day).padStart(2, '0')}T0${Math.floor(random() * 9)}:${String(
      Math.floor(random() * 60),
    ).padStart(2, '0')}:13.${String(Math.floor(random() * 1e6)).padStart(6, '0')}+00:00`;
    return {
      id: randomUUID(),
      resident_id: resident.id,
      resident_name: resident.name,
      unit_id: resident.unit_id,
      title: manual
        ? pick(['需要联系家属', '转介医生', 'Call the son about the glasses'])
        : FINDINGS[finding],
      details: pick(NOTES),
      priority: pick(['routine', 'soon', 'soon', 'urgent']),
      status: random() < 0.2 ? 'in_progress' : 'open',
      source: manual ? 'manual' : 'finding',
      finding: manual ? null : finding,
      visit_id: random() < 0.9 ? randomUUID() : null,
      assignee: pick(workers),
      due_on: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
      created_at: stamp,
      updated_at: stamp,
    };
  });
  return {
    results: [],
    units: [],
    residents: [],
    tasks,
    removed: { residents: [], units: [], tasks: [] },
    reset: true,
    cursor: 'eyJzIjoxMjM0NSwicCI6bnVsbCwidSI6IjNhYmMiLCJ3IjoiMjAyNi1XNDkifQ',
    more: false,
    server_time: '2026-12-03T10:00:00+08:00',
  };
}

describe('a pull of 200 tasks', () => {
  it('is under 20 KB gzip', () => {
    const json = JSON.stringify(realisticPull(200));
    const zipped = gzipSync(json, { level: 6 }).length; // the server's level (flask-compress)
    console.log(
      `pull of 200 tasks: ${(json.length / 1024).toFixed(1)} KB JSON (${new TextEncoder().encode(json).length} bytes UTF-8), ${(zipped / 1024).toFixed(1)} KB gzip`,
    );
    expect(zipped).toBeLessThan(BUDGET);
  });
});
