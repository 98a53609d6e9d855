// The visit being recorded. It is kept in IndexedDB (meta.draft) as the worker fills it, so an
// accidental close, a crash or an accepted update never loses a half-recorded visit. Screens
// read it with current() and change it only through change() and observe(), which keep it.
// The follow-up tasks raised during the visit and the closes of open tasks ride with the draft
// (`tasks`, `task_events`) and go to the outbox with the visit, in the same transaction; so does
// the contact record that counts the visit for the resident's open case (`case_contact`).
import { delMeta, uuid } from '../sync/db.js';
import { getSecret, setSecret } from '../sync/vault.js';
import * as outbox from '../sync/outbox.js';
import * as tasks from '../sync/tasks.js';
import * as cases from '../sync/cases.js';
import { rfc3339 } from '../lib/dates.js';

/** Typing is kept a moment after it stops, not on every key. */
const KEEP_AFTER_MS = 300;

let draft = null;
let keepTimer = null;

/** The draft, or null when no visit is being recorded. Read it; change it with change(). */
export const current = () => draft;

export async function load() {
  draft = await getSecret('draft');
}

function keep() {
  clearTimeout(keepTimer);
  keepTimer = setTimeout(() => {
    keepTimer = null;
    setSecret('draft', draft);
  }, KEEP_AFTER_MS);
}

/** Begin a visit to a resident of the roster (of `unit`), found by QR code or picked by hand. */
export function start(resident, unit, { identifiedBy = 'manual', qrToken = null } = {}) {
  draft = {
    id: uuid(),
    resident_id: resident.id,
    kind: unit?.kind === 'area' ? 'home_visit' : 'round',
    checked_in_at: rfc3339(new Date()),
    checked_out_at: null,
    identified_by: identifiedBy,
    qr_token: identifiedBy === 'qr' ? qrToken : null,
    location: null,
    observations: { living: 'ok', emotional: 'ok', physical: 'ok', notes: '' },
    service_given: '',
    follow_up: false,
    satisfaction: null,
    feedback: '',
    signature: null,
    step: 'visit',
    tasks: [],
    task_events: [],
    case_contact: null,
  };
  keep();
  return draft;
}

/**
 * Count this visit for the resident's open case (a `contact` record, mode `visit`, saved with
 * the visit), or stop counting it (`caseId` null). `goalIds`: the plan's goals it worked on.
 */
export function countForCase(caseId, goalIds = []) {
  if (!draft) return;
  draft.case_contact = caseId ? { case_id: caseId, goal_ids: goalIds } : null;
  keep();
}

/** The contact record a visit counted for a case carries: what the visit gave, its length. */
export function caseContact(visit) {
  const c = visit.case_contact;
  if (!c) return null;
  const minutes = Math.round(
    (Date.parse(visit.checked_out_at) - Date.parse(visit.checked_in_at)) / 60e3,
  );
  const summary =
    [visit.service_given, visit.observations?.notes].filter((s) => s?.trim()).join(' / ') || '—';
  return cases.newRecord(c.case_id, 'contact', {
    mode: 'visit',
    visit_id: visit.id,
    goal_ids: c.goal_ids || [],
    summary: summary.slice(0, 2000),
    minutes: Number.isFinite(minutes) && minutes > 0 ? minutes : null,
  });
}

/**
 * Raise a task by hand during this visit: {title, details, priority, dueOn, assigneeId}, and
 * `extra` ({resident_name, unit_id, assignee_name}) for the screens. Saved with the visit.
 */
export function raiseTask(fields, extra = {}) {
  if (!draft) return null;
  const task = {
    ...tasks.newTask({ ...fields, residentId: draft.resident_id, visitId: draft.id }),
    extra,
  };
  draft.tasks = [...(draft.tasks || []), task];
  keep();
  return task;
}

/** Take back a task raised during this visit (it was never saved). */
export function dropTask(id) {
  if (!draft) return;
  draft.tasks = (draft.tasks || []).filter((task) => task.id !== id);
  keep();
}

/**
 * Close an open task as done during this visit (outcome required); the event carries visit_id,
 * and the task's title for the check-and-save screen (`extra`, never sent).
 */
export function closeTask(taskId, outcome, title = '') {
  if (!draft || !outcome.trim()) return null;
  const event = tasks.newEvent(taskId, 'closed', { outcome: outcome.trim() }, draft.id);
  event.at = rfc3339(new Date());
  event.extra = { title };
  draft.task_events = [...(draft.task_events || []).filter((e) => e.task_id !== taskId), event];
  keep();
  return event;
}

/** Take back a close made during this visit. */
export function undoClose(taskId) {
  if (!draft) return;
  draft.task_events = (draft.task_events || []).filter((e) => e.task_id !== taskId);
  keep();
}

/** Fix a visit the server refused: the outbox record, with the server's reasons, becomes the draft. */
export function startFix(item) {
  draft = {
    ...structuredClone(item.payload),
    step: 'visit',
    fix_of: item.id,
    fix_errors: item.errors,
    fix_codes: item.codes || null,
  };
  keep();
  return draft;
}

/** Change fields of the draft ({satisfaction: 'satisfied'}, {step: 'rate'}) and keep it. */
export function change(fields) {
  if (!draft) return;
  Object.assign(draft, fields);
  keep();
}

/** One of the observations ('living', 'emotional', 'physical': 'ok' | 'concern') or the notes. */
export function observe(key, value) {
  if (!draft) return;
  draft.observations[key] = value;
  keep();
}

/** Write the draft now rather than after the typing pause (the page is being left). */
export function flush() {
  if (!draft || !keepTimer) return Promise.resolve();
  clearTimeout(keepTimer);
  keepTimer = null;
  return setSecret('draft', draft);
}

/**
 * The signature as the API wants it, from what the resident's screen holds: a name only for a
 * family member, a reason only for "unable to sign", both trimmed, and no strokes for the latter.
 * The draft keeps only this form, so what was typed for another signer never goes out.
 */
export function cleanSignature(sig) {
  const signer = sig?.signer || 'resident';
  const none = signer === 'none';
  return {
    signer,
    signer_name: signer === 'proxy' ? sig.signer_name?.trim() || null : null,
    reason: none ? sig.reason?.trim() || null : null,
    width: sig?.width || 600,
    height: sig?.height || 200,
    encoding: 'delta',
    strokes: none ? [] : sig?.strokes || [],
  };
}

/** Give the visit up: gone from memory and from IndexedDB. */
export async function discard() {
  draft = null;
  clearTimeout(keepTimer);
  await delMeta('draft');
}

/** Let the draft go without writing (the worker's data has just been cleared). */
export function forget() {
  draft = null;
  clearTimeout(keepTimer);
}

/**
 * Put the finished visit (or the fixed refused one) in the outbox and end the draft. Resolves
 * with the visit once the IndexedDB transaction that holds it has completed.
 */
export async function finish() {
  const visit = toPayload(draft);
  visit.checked_out_at = rfc3339(new Date());
  const rows = await tasks.rowsFor(
    draft.tasks || [],
    draft.task_events || [],
    visit.checked_out_at,
  );
  const contact = caseContact({ ...visit, case_contact: draft.case_contact });
  if (contact)
    rows.outbox.push(...(await cases.rowsFor([], [contact], visit.checked_out_at, new Date())));
  if (draft.fix_of) {
    await outbox.replacePayload(draft.fix_of, visit);
    if (rows.outbox.length) await tasks.saveRows(rows);
  } else await outbox.addVisit(visit, new Date(), rows);
  draft = null;
  clearTimeout(keepTimer);
  await delMeta('draft');
  return visit;
}

/** The visit as the API wants it (the draft carries a few fields for the screens only). */
export function toPayload(visitDraft) {
  const {
    step,
    fix_of,
    fix_errors,
    fix_codes,
    resident_lang,
    tasks,
    task_events,
    case_contact,
    ...visit
  } = visitDraft;
  return visit;
}
