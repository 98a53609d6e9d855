import { describe, it, expect } from 'vitest';
import en from '../src/lib/i18n/en.json';
import zh from '../src/lib/i18n/zh-CN.json';
import { qs } from '../src/office/logic.js';
import {
  taskQuery,
  statusesFor,
  dueState,
  duration,
  eventChanges,
  openFirst,
  assigneeChoices,
  keyBytes,
  closeRows,
  onTimeChart,
  TASK_PRIORITIES,
  TASK_FINDINGS,
  TASK_ASSIGN_TO,
  TASK_SOURCES,
  TASK_DUES,
  TASK_SORTS,
  TASK_STATUS_FILTERS,
} from '../src/office/task-logic.js';

describe('the task board query', () => {
  it('asks for open and in-progress tasks by default, due soonest first, page 1', () => {
    expect(qs(taskQuery({}))).toBe('?status=open&status=in_progress&sort=due&page=1&per_page=25');
  });

  it('sends every filter the board holds, and the unit', () => {
    const q = taskQuery({
      unit: 'u1',
      status: 'done',
      priority: 'urgent',
      assignee: 'p1',
      due: 'overdue',
      source: 'finding',
      sort: 'priority',
      page: 3,
    });
    expect(qs(q)).toBe(
      '?unit_id=u1&status=done&priority=urgent&assignee_id=p1&due=overdue&source=finding' +
        '&sort=priority&page=3&per_page=25',
    );
  });

  it('gives the CSV export the same filters without a page', () => {
    const filters = { unit: 'u1', status: 'closed', due: 'week', page: 4 };
    expect(qs(taskQuery(filters, { paged: false }))).toBe(
      '?unit_id=u1&status=done&status=cancelled&due=week&sort=due',
    );
  });

  it('asks for every status when all are shown', () => {
    expect(statusesFor('all')).toEqual([]);
    expect(statusesFor('closed')).toEqual(['done', 'cancelled']);
    expect(statusesFor('in_progress')).toEqual(['in_progress']);
  });
});

describe('due dates', () => {
  const task = (due_on, extra = {}) => ({ status: 'open', due_on, ...extra });

  it('counts the days late of an open task past its due date', () => {
    expect(dueState(task('2026-12-01'), '2026-12-03')).toEqual({ kind: 'overdue', days: 2 });
  });

  it('says today, and the days left, across a month end', () => {
    expect(dueState(task('2026-12-03'), '2026-12-03')).toEqual({ kind: 'today' });
    expect(dueState(task('2027-01-02'), '2026-12-30')).toEqual({ kind: 'due', days: 3 });
  });

  it('believes the server that a task is overdue', () => {
    expect(dueState(task('2026-12-03', { overdue: true }), '2026-12-03').kind).toBe('overdue');
  });

  it('says nothing of lateness once a task is closed', () => {
    expect(dueState(task('2026-11-01', { status: 'done' }), '2026-12-03')).toEqual({
      kind: 'closed',
    });
  });
});

describe('time to close in words', () => {
  it('says minutes under an hour, hours under two days and days from then on', () => {
    expect(duration(0.26)).toEqual({ unit: 'min', n: 16 });
    expect(duration(3.26)).toEqual({ unit: 'h', n: 3.3 });
    expect(duration(30.4)).toEqual({ unit: 'h', n: 30 });
    expect(duration(60)).toEqual({ unit: 'd', n: 2.5 });
  });

  it('has no duration when nothing closed', () => {
    expect(duration(null)).toBeNull();
    expect(duration(undefined)).toBeNull();
  });
});

describe('a task history entry', () => {
  it('lists the changes in a fixed order, without the status its kind says', () => {
    const e = { kind: 'closed', changes: { status: 'done', note: 'n', outcome: 'Called' } };
    expect(eventChanges(e)).toEqual([
      ['outcome', 'Called'],
      ['note', 'n'],
    ]);
    expect(eventChanges({ kind: 'started', changes: {} })).toEqual([]);
  });
});

describe('a resident task list', () => {
  it('puts open tasks first by due date, then the newest closed', () => {
    const tasks = [
      { id: 'a', status: 'done', closed_at: '2026-11-01T10:00:00Z' },
      { id: 'b', status: 'open', due_on: '2026-12-09' },
      { id: 'c', status: 'cancelled', closed_at: '2026-11-20T10:00:00Z' },
      { id: 'd', status: 'in_progress', due_on: '2026-12-04' },
    ];
    expect(openFirst(tasks).map((x) => x.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});

describe('who a task may be given to', () => {
  it('lists each worker or supervisor once, by name, and no admin', () => {
    const people = assigneeChoices(
      [{ id: '1', display_name: 'Zhou', role: 'supervisor' }],
      [
        { id: '2', display_name: 'Li', role: 'worker' },
        { id: '1', display_name: 'Zhou', role: 'supervisor' },
        { id: '3', display_name: 'Admin', role: 'admin' },
      ],
    );
    expect(people.map((p) => p.id)).toEqual(['2', '1']);
  });
});

describe('the Web Push key', () => {
  it('turns the base64url key the server gives into bytes', () => {
    expect([...keyBytes('AQID_-8')]).toEqual([1, 2, 3, 255, 239]);
  });
});

describe('the time-to-close report', () => {
  const report = {
    total: { closed: 4, on_time: 3, on_time_share: 0.75, median_hours: 20, p90_hours: 70 },
    by_priority: [{ priority: 'soon', closed: 4, on_time_share: 0.75, median_hours: 20 }],
    by_unit: [
      { unit: { id: 'u1', name: 'A' }, closed: 3, on_time_share: 1 },
      { unit: { id: 'u2', name: 'B' }, closed: 1, on_time_share: 0 },
      { unit: { id: 'u3', name: 'C' }, closed: 0, on_time_share: null },
    ],
  };

  it('lists every priority, urgent first, even one with nothing closed', () => {
    const rows = closeRows(report);
    expect(rows.priorities.map((r) => [r.key, r.closed])).toEqual([
      ['urgent', 0],
      ['soon', 4],
      ['routine', 0],
    ]);
    expect(rows.priorities[0].median_hours).toBeNull();
  });

  it('charts the share on time of the units that closed something', () => {
    expect(onTimeChart(closeRows(report))).toEqual({ labels: ['A', 'B'], values: [100, 0] });
  });
});

describe('the task words', () => {
  it('are in both languages for every choice the screens show', () => {
    const keys = [
      ...TASK_PRIORITIES.map((p) => `tasks.priority.${p}`),
      ...TASK_FINDINGS.flatMap((f) => [`tasks.finding.${f}`, `taskRules.when.${f}`]),
      ...TASK_ASSIGN_TO.map((a) => `taskRules.assign.${a}`),
      ...TASK_SOURCES.map((s) => `tasks.source.${s}`),
      ...TASK_DUES.map((d) => `tasks.dueFilter.${d}`),
      ...TASK_SORTS.map((s) => `tasks.sort.${s}`),
      ...TASK_STATUS_FILTERS.map((s) => `tasks.show.${s}`),
      ...['open', 'in_progress', 'done', 'cancelled'].map((s) => `tasks.status.${s}`),
      ...[
        'created',
        'started',
        'reassigned',
        'rescheduled',
        'reprioritised',
        'noted',
        'closed',
        'cancelled',
        'reopened',
      ].map((k) => `tasks.event.${k}`),
      'alerts.kind.overdue',
      'alerts.kind.urgent',
    ];
    for (const k of keys) {
      expect(en[k], k).toBeTruthy();
      expect(zh[k], k).toBeTruthy();
    }
    expect(zh['tasks.priority.urgent']).toBe('紧急');
    expect(zh['tasks.title']).toBe('跟进任务');
  });
});
