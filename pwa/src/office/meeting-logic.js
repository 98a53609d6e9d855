// Pure helpers of the supervision meeting screens (tested in test/meetings.test.js).

export const MEETING_KINDS = ['individual', 'group'];
export const RULE_STATUSES = ['missed', 'at_risk', 'on_track', 'met'];

/** The month holding a day: '2026-12-03' -> '2026-12'. */
export const monthOf = (day) => day.slice(0, 7);

/** The first and last day of a month: '2026-02' -> ['2026-02-01', '2026-02-28']. */
export function monthRange(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`];
}

/** The month before or after: shiftMonth('2026-01', -1) -> '2025-12'. */
export function shiftMonth(month, n) {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Why a meeting cannot be sent yet, as an i18n key (null: it can): the same rules the server
 * keeps, said before the round trip.
 */
export function meetingProblem({ kind, heldOn, participants, today }) {
  if (!heldOn) return 'meetings.need.date';
  if (heldOn > today) return 'meetings.need.past';
  if (kind === 'individual' && participants.length !== 1) return 'meetings.need.one';
  if (kind === 'group' && participants.length < 2) return 'meetings.need.two';
  return null;
}

/** The body of a POST (with tasks) or a PUT (without) from what the form holds. */
export function meetingBody(form, { withTasks = true } = {}) {
  const body = {
    kind: form.kind,
    held_on: form.heldOn,
    supervisor_id: form.supervisorId || null,
    unit_id: form.unitId || null,
    place: (form.place || '').trim(),
    minutes: form.minutes ? Number(form.minutes) : null,
    topics: (form.topics || '').trim(),
    decisions: (form.decisions || '').trim(),
    participants: [...new Set(form.participants)],
    discussed: (form.discussed || [])
      .filter((d) => d.residentId || d.caseId)
      .map((d) => ({
        resident_id: d.residentId || null,
        case_id: d.caseId || null,
        note: (d.note || '').trim(),
      })),
  };
  if (!withTasks) return body;
  return {
    id: form.id,
    ...body,
    tasks: (form.tasks || [])
      .filter((task) => task.residentId && task.title.trim())
      .map((task) => ({
        resident_id: task.residentId,
        title: task.title.trim(),
        details: (task.details || '').trim(),
        assignee_id: task.assigneeId || null,
        due_on: task.dueOn,
        priority: task.priority || 'routine',
      })),
  };
}

/** The rule's people, the ones needing a meeting first, then by name. */
export function ruleOrder(people) {
  const rank = (s) => RULE_STATUSES.indexOf(s);
  return [...people].sort(
    (a, b) =>
      rank(a.status) - rank(b.status) ||
      (a.user.display_name || '').localeCompare(b.user.display_name || ''),
  );
}
