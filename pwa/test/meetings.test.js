import { describe, it, expect } from 'vitest';
import {
  meetingBody,
  meetingProblem,
  monthRange,
  shiftMonth,
  ruleOrder,
} from '../src/office/meeting-logic.js';

describe('a meeting before it is sent', () => {
  const base = { kind: 'group', heldOn: '2026-12-02', today: '2026-12-03' };

  it('is refused in the future, and by its number of participants', () => {
    expect(meetingProblem({ ...base, heldOn: '2026-12-04', participants: ['a', 'b'] })).toBe(
      'meetings.need.past',
    );
    expect(meetingProblem({ ...base, participants: ['a'] })).toBe('meetings.need.two');
    expect(meetingProblem({ ...base, kind: 'individual', participants: ['a', 'b'] })).toBe(
      'meetings.need.one',
    );
    expect(meetingProblem({ ...base, participants: ['a', 'b'] })).toBeNull();
  });

  it('sends only the discussed rows and tasks that name someone, tasks only when new', () => {
    const form = {
      id: 'm1',
      kind: 'group',
      heldOn: '2026-12-02',
      unitId: 'u1',
      minutes: '45',
      participants: ['a', 'b', 'a'],
      discussed: [
        { residentId: 'r1', note: ' nights ' },
        { residentId: '', note: 'x' },
      ],
      tasks: [
        { residentId: 'r1', title: ' Bed rail ', assigneeId: '', dueOn: '2026-12-10' },
        { residentId: 'r1', title: '  ', dueOn: '2026-12-10' },
      ],
    };
    const body = meetingBody(form);
    expect(body.participants).toEqual(['a', 'b']);
    expect(body.minutes).toBe(45);
    expect(body.discussed).toEqual([{ resident_id: 'r1', case_id: null, note: 'nights' }]);
    expect(body.tasks).toEqual([
      {
        resident_id: 'r1',
        title: 'Bed rail',
        details: '',
        assignee_id: null,
        due_on: '2026-12-10',
        priority: 'routine',
      },
    ]);
    const edit = meetingBody(form, { withTasks: false });
    expect('tasks' in edit || 'id' in edit).toBe(false);
  });
});

describe('months', () => {
  it('run from the first to the last day, across years', () => {
    expect(monthRange('2028-02')).toEqual(['2028-02-01', '2028-02-29']);
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });
});

describe('the rule', () => {
  it('lists who needs a meeting first', () => {
    const p = (name, status) => ({ user: { display_name: name }, status });
    const order = ruleOrder([p('B', 'met'), p('A', 'at_risk'), p('C', 'missed')]);
    expect(order.map((x) => x.user.display_name)).toEqual(['C', 'A', 'B']);
  });
});
