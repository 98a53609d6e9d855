// Pure helpers of the office's case screens (tested in test/office-cases.test.js): the board's
// filters as the API's query, the counts in stage order, what a case's page may offer, the
// records in reading order, the goals a later record names, and the task each plan step became.

// The case vocabulary is the phone's (sync/cases.js), under the names these screens use; the
// sources keep an order of their own (the board's filter lists referrals second).
import {
  STAGES as CASE_STAGES,
  DOMAINS as NEED_DOMAINS,
  SEVERITIES,
  RISKS as RISK_FLAGS,
  MODES as CONTACT_MODES,
  GOAL_STATUSES,
  REASONS as CLOSURE_REASONS,
  SERVICES as SERVICE_CODES,
} from '../sync/cases.js';

export {
  CASE_STAGES,
  NEED_DOMAINS,
  SEVERITIES,
  RISK_FLAGS,
  CONTACT_MODES,
  GOAL_STATUSES,
  CLOSURE_REASONS,
  SERVICE_CODES,
};
export const CASE_ATTENTION = ['review_due', 'no_contact'];
export const CASE_SOURCES = ['round_finding', 'referral', 'resident_request', 'family_request'];
export const RECORD_KINDS = [
  'intake',
  'assessment',
  'plan',
  'contact',
  'review',
  'closure',
  'signoff',
];
/** Days without contact that the board calls quiet (the server's ROUNDS_CASE_NO_CONTACT_DAYS). */
export const NO_CONTACT_DAYS = 14;
/** Days an archived case is kept before an admin may export and purge it (the server's default). */
export const RETENTION_DAYS = 3650;

/** The board's filters → the query of GET /api/v1/cases (empty values are left out by qs). */
export function caseQuery(filters, { perPage = 25 } = {}) {
  return {
    unit_id: filters.unit || '',
    ...(filters.office ? { office_id: filters.office } : {}),
    worker_id: filters.worker || '',
    resident_id: filters.resident || '',
    stage: filters.stage || '',
    attention: CASE_ATTENTION.includes(filters.attention) ? filters.attention : '',
    page: filters.page || 1,
    per_page: perPage,
  };
}

/** The answer's counts by stage → [{stage, n}] in the order a case goes, every stage listed. */
export const stageCounts = (counts) =>
  CASE_STAGES.map((stage) => ({ stage, n: counts?.by_stage?.[stage] ?? 0 }));

/** The caseload rows by the most open cases first, then by name. */
export function caseloadRows(counts) {
  return [...(counts?.caseload || [])].sort(
    (a, b) =>
      (b.open ?? 0) - (a.open ?? 0) ||
      String(a.worker?.display_name || '').localeCompare(String(b.worker?.display_name || '')),
  );
}

/** Records in the order they were made: by the phone's clock, then by their version. */
export function recordsInOrder(records) {
  return [...(records || [])].sort(
    (a, b) =>
      String(a.at || '').localeCompare(String(b.at || '')) ||
      (a.version ?? 0) - (b.version ?? 0) ||
      RECORD_KINDS.indexOf(a.kind) - RECORD_KINDS.indexOf(b.kind),
  );
}

export const isArchived = (c) => c?.stage === 'archived';
const recordsOf = (c, kind) => recordsInOrder(c?.records).filter((r) => r.kind === kind);
export const hasPlan = (c) => recordsOf(c, 'plan').length > 0;

/** The plan in force: the newest version, or null before a plan. */
export function planInForce(c) {
  const plans = recordsOf(c, 'plan');
  return plans.length ? plans[plans.length - 1] : null;
}

/** Every goal any plan version named, by id (the newest wording wins). */
export function goalsById(c) {
  const goals = new Map();
  for (const plan of recordsOf(c, 'plan'))
    for (const g of plan.body?.goals || []) if (g?.id) goals.set(g.id, g);
  return goals;
}

/**
 * What the office may record on a case now: the forms the contract allows at its stage (a
 * contact after intake and before closing, a review with a plan and before closing), the
 * sign-off (a supervisor's or an admin's, once closing), and nothing once archived.
 */
export function officeActions(c, role) {
  const stage = c?.stage;
  const open = stage === 'assessment' || stage === 'intervention';
  const office = role === 'supervisor' || role === 'admin';
  if (role === 'inspector') return { contact: false, review: false, signoff: false };
  return {
    contact: open,
    review: open && hasPlan(c),
    signoff: stage === 'closing' && office,
  };
}

const DAY_MS = 86400e3;

/**
 * Whether an archived case has been kept past the retention (admins may then export, purge):
 * the server's word when the case carries it (`purgeable`), else the default retention.
 */
export function pastRetention(c, now = new Date(), days = RETENTION_DAYS) {
  if (!isArchived(c) || !c.archived_at) return false;
  if (typeof c.purgeable === 'boolean') return c.purgeable;
  return now.getTime() - Date.parse(c.archived_at) > days * DAY_MS;
}

/** An assessment's needs grouped by domain in the domains' order, each by priority (1 first). */
export function needsByDomain(body) {
  const needs = body?.needs || [];
  return NEED_DOMAINS.map((domain) => ({
    domain,
    needs: needs
      .filter((n) => n.domain === domain)
      .sort((a, b) => (a.priority ?? 99) - (b.priority ?? 99)),
  })).filter((g) => g.needs.length);
}

/** A need is highlighted when it is severe, or the domain's top priority. */
export const isPressing = (need) => need?.severity === 'severe' || need?.priority === 1;

/**
 * The follow-up task each plan step became: the server raises it with the first plan version
 * that named the step, as uuid5(that record's id, step id); later versions keep the step's id
 * and raise nothing new. A step the server already names (step.task_id) keeps its id.
 * → Map(step id → task id).
 */
export function stepTaskIds(c) {
  const ids = new Map();
  for (const plan of recordsOf(c, 'plan'))
    for (const step of plan.body?.steps || [])
      if (step?.id && !ids.has(step.id)) ids.set(step.id, step.task_id || uuid5(plan.id, step.id));
  return ids;
}

/** A name-based UUID (RFC 4122 version 5) in a namespace UUID, as Python's uuid.uuid5. */
export function uuid5(namespace, name) {
  const ns = namespace
    .replace(/-/g, '')
    .match(/../g)
    .map((x) => parseInt(x, 16));
  const bytes = sha1([...ns, ...new TextEncoder().encode(name)]).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SHA-1 of bytes (synchronous: the links are drawn with the page). */
function sha1(bytes) {
  const len = bytes.length;
  const words = new Array((((len + 8) >> 6) + 1) * 16).fill(0);
  for (let i = 0; i < len; i++) words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
  words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
  words[words.length - 1] = len * 8;
  let [a, b, c, d, e] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const rol = (x, n) => (x << n) | (x >>> (32 - n));
  const w = new Array(80);
  for (let i = 0; i < words.length; i += 16) {
    const [a0, b0, c0, d0, e0] = [a, b, c, d, e];
    for (let j = 0; j < 80; j++) {
      w[j] = j < 16 ? words[i + j] : rol(w[j - 3] ^ w[j - 8] ^ w[j - 14] ^ w[j - 16], 1);
      const f =
        j < 20
          ? ((b & c) | (~b & d)) + 0x5a827999
          : j < 40
            ? (b ^ c ^ d) + 0x6ed9eba1
            : j < 60
              ? ((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc
              : (b ^ c ^ d) + 0xca62c1d6;
      const tmp = (rol(a, 5) + f + e + w[j]) | 0;
      [e, d, c, b, a] = [d, c, rol(b, 30), a, tmp];
    }
    [a, b, c, d, e] = [(a + a0) | 0, (b + b0) | 0, (c + c0) | 0, (d + d0) | 0, (e + e0) | 0];
  }
  return [a, b, c, d, e].flatMap((x) => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255]);
}
