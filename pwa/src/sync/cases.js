// Case work on the phone (docs/cases.md). Two places hold it:
//   cases    the server's copy of each case in the worker's scope, with its records, as the
//            pull left it
//   outbox   cases opened here and records made here, until the server answers for them
// What a screen reads is the server's copy with the records still waiting applied on top, in
// the order they were made, moving the stage as the server does: so a case opened, assessed,
// planned and closed offline reads right at once, and becomes the server's word once it has
// them. Rows are sealed like every other (sync/vault.js): cases hold what a person told us.
import { db, uuid } from './db.js';
import { sealRows, openRows, openRow } from './vault.js';
import * as outbox from './outbox.js';

export const STAGES = ['intake', 'assessment', 'intervention', 'closing', 'archived'];
export const SOURCES = ['round_finding', 'resident_request', 'family_request', 'referral'];
export const DOMAINS = ['physical', 'emotional', 'social', 'living', 'economic', 'spiritual'];
export const SEVERITIES = ['none', 'mild', 'moderate', 'severe'];
export const RISKS = ['self_harm', 'abuse', 'fall', 'isolation'];
export const MODES = ['visit', 'phone', 'wechat', 'sms', 'family_meeting', 'case_conference'];
export const GOAL_STATUSES = ['not_started', 'in_progress', 'achieved', 'dropped'];
export const REASONS = ['goals_met', 'client_request', 'moved', 'deceased', 'referred'];
export const SATISFACTION = ['satisfied', 'basically_satisfied', 'unsatisfied'];
export const SERVICES = [
  'relief',
  'care_arrangement',
  'home_adaptation',
  'family_counselling',
  'emotional_support',
  'crisis_intervention',
  'support_network',
  'community_participation',
  'elder_education',
  'consultation',
  'rights_protection',
  'policy_advocacy',
  'end_of_life_care',
  'adaptation_plan',
  'counselling',
  'group_work',
  'referral',
];

const DAY_MS = 86400e3;
const dayOf = (at) => String(at).slice(0, 10);
const plusWeeks = (day, weeks) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + weeks * 7 * DAY_MS).toISOString().slice(0, 10);

/** A case as the screens read it, from one opened here (an outbox payload). */
function fromPayload(item) {
  const p = item.payload;
  return {
    id: p.id,
    resident_id: p.resident_id,
    resident_name: item.resident_name ?? null,
    unit_id: item.unit_id ?? null,
    worker_id: p.worker_id ?? item.worker_id ?? null,
    source: p.source,
    source_note: p.source_note ?? null,
    visit_id: p.visit_id ?? null,
    stage: 'intake',
    opened_at: p.opened_at,
    closed_at: null,
    archived_at: null,
    last_contact_at: null,
    review_due_on: null,
    records: [],
    local: true,
  };
}

/** A record as the pull carries it, from one made here (an outbox payload). */
function recordOf(item) {
  const p = item.payload;
  const sig = p.signature;
  return {
    id: p.id,
    kind: p.kind,
    at: p.at,
    author: item.author ?? null,
    version: null,
    body: p.body,
    signed: sig ? { signer: sig.signer, signer_name: sig.signer_name ?? null } : null,
    state: item.state,
  };
}

/**
 * The case after one record, as the server moves it (docs/cases.md, the table of kinds): the
 * stage, when it closed, the latest contact and the next review. Records are never refused
 * here: the server judges them, and a refused one shows in Records.
 */
export function applyRecord(c, record) {
  const next = { ...c };
  const hasPlan = (c.records || []).some((r) => r.kind === 'plan') || record.kind === 'plan';
  switch (record.kind) {
    case 'intake':
      next.stage = 'assessment';
      next.last_contact_at = latest(c.last_contact_at, record.at);
      break;
    case 'assessment':
      if (c.stage === 'intake' || c.stage === 'assessment')
        next.stage = hasPlan ? 'intervention' : 'assessment';
      break;
    case 'plan':
      if (c.stage !== 'closing' && c.stage !== 'archived') {
        next.stage = 'intervention';
        next.review_due_on = plusWeeks(dayOf(record.at), record.body.review_every_weeks || 4);
      }
      break;
    case 'contact':
      next.last_contact_at = latest(c.last_contact_at, record.at);
      break;
    case 'review': {
      const plan = planOf({ records: c.records || [] });
      if (plan && c.stage === 'intervention')
        next.review_due_on = plusWeeks(dayOf(record.at), plan.body.review_every_weeks || 4);
      break;
    }
    case 'closure':
      next.stage = 'closing';
      next.closed_at = record.at;
      next.review_due_on = null;
      break;
    case 'signoff':
      next.stage = 'archived';
      next.archived_at = record.at;
      break;
    default:
      break;
  }
  next.records = [...(c.records || []), record];
  return next;
}

const latest = (a, b) => (!a || (b && b > a) ? b : a);

/** The plan in force: the latest plan record, or null. */
export function planOf(c) {
  const plans = (c.records || []).filter((r) => r.kind === 'plan');
  return plans.at(-1) || null;
}

/** Every goal any plan of the case named (latest text first), for a closure's evaluation. */
export function goalsOf(c) {
  const goals = new Map();
  for (const r of c.records || [])
    if (r.kind === 'plan') for (const g of r.body.goals || []) goals.set(g.id, g);
  return [...goals.values()];
}

/** Whole days since the latest contact (or since opening, before any), on the phone's clock. */
export function daysSinceContact(c, now = new Date()) {
  const since = c.last_contact_at || c.opened_at;
  if (!since) return null;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / DAY_MS));
}

/** Which records the worker may add now, as the server allows them (docs/cases.md). */
export function allowedKinds(c) {
  const has = (kind) => (c.records || []).some((r) => r.kind === kind);
  if (c.stage === 'archived' || c.stage === 'closing') return [];
  if (!has('intake')) return ['intake'];
  const kinds = ['assessment'];
  if (has('assessment')) kinds.push('plan');
  kinds.push('contact');
  if (has('plan')) kinds.push('review');
  kinds.push('closure');
  return kinds;
}

/**
 * Every case on the phone as it stands with what waits applied, by id. A pulled case's records
 * come first (the server's order), then those waiting here that it does not hold yet, in the
 * order they were made.
 */
export async function everyCase() {
  const [server, items] = await Promise.all([
    db.cases.toArray().then((rows) => openRows('cases', rows)),
    outbox.all(),
  ]);
  return withWaiting(server, items);
}

/** The cases (as pulled) with the cases opened here and the records waiting applied on top. */
function withWaiting(server, items, only = null) {
  const byId = new Map(server.map((c) => [c.id, { ...c, records: c.records || [] }]));
  for (const item of items)
    if (item.type === 'case' && !byId.has(item.id) && (!only || item.id === only))
      byId.set(item.id, fromPayload(item));
  const waiting = items
    .filter((i) => i.type === 'case_record' && i.state === outbox.PENDING)
    .sort((a, b) => a.created_at - b.created_at || a.payload.at.localeCompare(b.payload.at));
  for (const item of waiting) {
    const c = byId.get(item.payload.case_id);
    if (c && !c.records.some((r) => r.id === item.id))
      byId.set(c.id, applyRecord(c, recordOf(item)));
  }
  return byId;
}

/** Open cases first by the next review, then the longest without contact. */
export function compareCases(a, b) {
  const ra = a.review_due_on || '9999';
  const rb = b.review_due_on || '9999';
  if (ra !== rb) return ra < rb ? -1 : 1;
  return String(a.last_contact_at || a.opened_at).localeCompare(
    String(b.last_contact_at || b.opened_at),
  );
}

/** The cases not archived (of one resident, or all), sorted for the list. */
export async function openCases({ residentId = null } = {}) {
  const out = [];
  for (const c of (await everyCase()).values())
    if (c.stage !== 'archived' && (!residentId || c.resident_id === residentId)) out.push(c);
  return out.sort(compareCases);
}

/** One case as it stands, or undefined: its row alone is read and opened. */
export async function getCase(id) {
  const [row, items] = await Promise.all([db.cases.get(id), outbox.all()]);
  const server = row ? [await openRow('cases', row)] : [];
  return withWaiting(server, items, id).get(id);
}

/** A new case as the sync sends it; `worker_id` null means the sender. */
export function newCase({ residentId, source, sourceNote = null, visitId = null }) {
  return {
    id: uuid(),
    resident_id: residentId,
    source,
    source_note: sourceNote?.trim() || '', // text, never null (docs/cases.md)
    visit_id: visitId ?? null,
    opened_at: null, // set when it is saved
    worker_id: null,
  };
}

/** A new record as the sync sends it. */
export function newRecord(caseId, kind, body, signature = null) {
  return { id: uuid(), case_id: caseId, kind, at: null, body, signature };
}

/**
 * The outbox rows of cases and records, sealed (outside any transaction: see sync/vault.js).
 * A case's `extra` (its names for the screens) stays on its outbox row; a record's `extra`
 * (its author) too. Neither is sent.
 */
export async function rowsFor(cases, records, at, now = new Date()) {
  const boxed = [
    ...cases.map(({ extra, ...p }) =>
      outbox.row('case', { ...p, opened_at: p.opened_at || at }, now, extra),
    ),
    ...records.map(({ extra, ...p }, i) =>
      outbox.row('case_record', { ...p, at: p.at || at }, new Date(now.getTime() + i), extra),
    ),
  ];
  return sealRows('outbox', boxed);
}

/** Write rows made by rowsFor() (in the caller's transaction, or their own). */
export const writeRows = (rows) => db.outbox.bulkAdd(rows);

/** Open a case now. `extra`: {resident_name, unit_id, worker_id}. */
export async function addCase(payload, extra, at, now = new Date()) {
  await writeRows(await rowsFor([{ ...payload, extra }], [], at, now));
  return payload.id;
}

/** Record one step of a case now. `extra`: {author}. */
export async function addRecord(record, extra, at, now = new Date()) {
  await writeRows(await rowsFor([], [{ ...record, extra }], at, now));
  return record.id;
}

/**
 * The server holds cases and records the phone made: keep them in the phone's copy until the
 * pull sends the server's (this sync's, normally), so nothing blinks out between the two.
 */
export async function keepAccepted(items) {
  const made = items.filter((i) => i.type === 'case');
  const recs = items.filter((i) => i.type === 'case_record');
  if (!made.length && !recs.length) return;
  const ids = [...new Set([...made.map((i) => i.id), ...recs.map((i) => i.payload.case_id)])];
  const held = new Map(
    (await openRows('cases', (await db.cases.bulkGet(ids)).filter(Boolean))).map((c) => [c.id, c]),
  );
  const changed = new Set();
  for (const item of made)
    if (!held.has(item.id)) {
      const { local, ...c } = fromPayload(item);
      held.set(c.id, c);
      changed.add(c.id);
    }
  for (const item of recs) {
    const c = held.get(item.payload.case_id);
    if (!c || c.records.some((r) => r.id === item.id)) continue;
    const { state, ...record } = recordOf(item);
    held.set(c.id, applyRecord(c, record));
    changed.add(c.id);
  }
  if (changed.size)
    await db.cases.bulkPut(
      await sealRows(
        'cases',
        [...changed].map((id) => held.get(id)),
      ),
    );
}

/**
 * A pulled copy merged with the copy held: records are append-only, so a record held that the
 * pulled copy lacks (the answer of an earlier sync arriving after a later one, or accepted
 * since the server read the case) is applied on top rather than lost.
 */
export function mergePulled(pulled, held) {
  if (!held) return pulled;
  const known = new Set((pulled.records || []).map((r) => r.id));
  return (held.records || [])
    .filter((r) => !known.has(r.id))
    .reduce((c, record) => applyRecord(c, record), pulled);
}

/** The pull's cases and removals. */
export async function applyPulled(cases = [], removed = []) {
  if (cases.length) {
    const held = await openRows(
      'cases',
      (await db.cases.bulkGet(cases.map((c) => c.id))).filter(Boolean),
    );
    const byId = new Map(held.map((c) => [c.id, c]));
    cases = cases.map((c) => mergePulled(c, byId.get(c.id)));
  }
  const rows = await sealRows('cases', cases);
  await db.transaction('rw', db.cases, async () => {
    if (rows.length) await db.cases.bulkPut(rows);
    if (removed.length) await db.cases.bulkDelete(removed);
  });
}

/** After a full resend: drop the cases it did not carry. Returns how many went. */
export async function prune(seen) {
  const held = await db.cases.toCollection().primaryKeys();
  const gone = held.filter((id) => !seen.has(id));
  if (gone.length) await db.cases.bulkDelete(gone);
  return gone.length;
}
