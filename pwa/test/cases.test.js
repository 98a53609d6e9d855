// Case work on the phone: what waits and in which order it goes (a case before its records,
// after the visit a contact counts), the stage read with the records still waiting, and what
// the pull's cases, removals and resets do.
import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient } from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import * as cases from '../src/sync/cases.js';
import * as vault from '../src/sync/vault.js';
import { resetKeyring } from '../src/sync/keyring.js';
import { db, setMeta } from '../src/sync/db.js';
import * as draft from '../src/state/draft.js';
import { resetDb, visit } from './helpers.js';
import { fakeServer, residentsN } from './fakeserver.js';

const AT = '2026-11-23T09:05:00+08:00';
let server;
let client;

beforeEach(async () => {
  resetKeyring();
  await resetDb();
  await setMeta('session', { token: 'tok', user: { id: 'me', username: 'wang' } });
  server = fakeServer({ residents: residentsN(3) });
  client = createSyncClient({ store, fetchImpl: server.fetch, appVersion: 'test' });
});

const PLAN = {
  goals: [
    { id: 'g1', text: 'Eats with others twice a week', measure: 'meals', target_on: '2027-01-31' },
    { id: 'g2', text: 'Calls her son weekly', measure: 'calls', target_on: '2027-01-31' },
  ],
  steps: [
    { id: 's1', title: 'Ask the son', goal_id: 'g2', assignee_id: null, due_on: '2026-12-01' },
  ],
  services: ['emotional_support'],
  review_every_weeks: 4,
  agreed: { signer: 'resident', signer_name: null },
};
const SIGNATURE = {
  signer: 'resident',
  signer_name: null,
  reason: null,
  width: 600,
  height: 200,
  encoding: 'delta',
  strokes: [[10, 10, 1, 1]],
};

/** Open a case and record its steps offline, each a little after the last. */
async function openAndRecord(kinds, residentId = 'r1') {
  const c = cases.newCase({ residentId, source: 'resident_request' });
  let clock = 1000;
  await cases.addCase(c, { resident_name: 'Resident 1' }, AT, new Date(clock));
  const bodies = {
    intake: {
      register: { problems: 'lonely' },
      consent: { given: true, by: 'resident', name: 'R' },
    },
    assessment: { needs: [], risks: [], summary: 'lonely' },
    plan: PLAN,
    contact: { mode: 'phone', visit_id: null, goal_ids: ['g2'], summary: 'rang', minutes: 5 },
    review: { progress: [{ goal_id: 'g1', status: 'in_progress', note: '' }], summary: 'ok' },
    closure: { reason: 'goals_met', evaluation: [], summary: 'done', satisfaction: 'satisfied' },
  };
  const ids = [];
  for (const kind of kinds) {
    clock += 1000;
    const signed = kind === 'plan' || kind === 'closure' ? SIGNATURE : null;
    const r = cases.newRecord(c.id, kind, bodies[kind], signed);
    ids.push(r.id);
    await cases.addRecord(r, {}, `2026-11-23T09:0${ids.length}:00+08:00`, new Date(clock));
  }
  return { id: c.id, records: ids };
}

/** A case as the pull sends it. */
const pulled = (id, over = {}) => ({
  id,
  resident_id: 'r2',
  resident_name: 'Resident 2',
  unit_id: 'u1',
  worker_id: 'me',
  source: 'referral',
  source_note: 'the doctor',
  visit_id: null,
  stage: 'intervention',
  opened_at: AT,
  closed_at: null,
  archived_at: null,
  last_contact_at: AT,
  review_due_on: '2026-12-21',
  records: [
    { id: `${id}-i`, kind: 'intake', at: AT, author: null, version: 1, body: {}, signed: null },
    { id: `${id}-p`, kind: 'plan', at: AT, author: null, version: 1, body: PLAN, signed: null },
  ],
  ...over,
});

describe('the outbox of cases and their records', () => {
  it('sends a case before its records, in the order made, after the visit they count', async () => {
    const made = await openAndRecord(['intake', 'assessment', 'plan']);
    await outbox.addVisit(visit(), new Date(500));
    const items = await outbox.pendingItems();
    expect(items.map((i) => i.type)).toEqual([
      'visit',
      'case',
      'case_record',
      'case_record',
      'case_record',
    ]);
    expect(items.slice(2).map((i) => i.id)).toEqual(made.records);

    const small = createSyncClient({ store, fetchImpl: server.fetch, maxBatch: 2 });
    expect(await small.run()).toMatchObject({ ok: true, created: 5, rejected: 0 });
    const sent = server.requests.map((r) => [
      r.body.visits.length,
      r.body.cases?.map((c) => c.id),
      r.body.case_records?.map((x) => x.kind),
    ]);
    // Each list goes only when it holds something (a sync without cases sends neither).
    expect(sent).toEqual([
      [1, [made.id], undefined],
      [0, undefined, ['intake', 'assessment']],
      [0, undefined, ['plan']],
    ]);
    expect(server.cases.get(made.id).stage).toBe('intervention');
    expect(await outbox.counts()).toEqual({ waiting: 0, problems: 0, total: 0 });
    // The pull's copy holds every record, in order: nothing blinked out.
    const held = await cases.getCase(made.id);
    expect(held.records.map((r) => r.id)).toEqual(made.records);
    expect(held.local).toBeUndefined();
  });

  it('a case accepted is kept on the phone before its outbox item goes', async () => {
    const made = await openAndRecord(['intake']);
    const order = [];
    const kept = (pk) => order.push(['kept', pk]);
    const gone = (pk) => order.push(['gone', pk]);
    db.cases.hook('creating', kept);
    db.outbox.hook('deleting', gone);
    try {
      await client.run();
    } finally {
      db.cases.hook('creating').unsubscribe(kept);
      db.outbox.hook('deleting').unsubscribe(gone);
    }
    const first = order.findIndex(([, pk]) => pk === made.id);
    expect(order[first]).toEqual(['kept', made.id]);
    expect(order.some(([what, pk]) => what === 'gone' && pk === made.id)).toBe(true);
  });

  it('keeps a record whose case the server has not yet received waiting, and sends it again', async () => {
    const r = cases.newRecord('c-elsewhere', 'contact', { mode: 'phone', summary: 'x' });
    await cases.addRecord(r, {}, AT);
    expect(await client.run()).toMatchObject({ ok: true, rejected: 0 });
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual([r.id]);

    server.cases.set('c-elsewhere', pulled('c-elsewhere'));
    await client.run();
    expect(server.requests.at(-1).body.case_records.map((x) => x.id)).toEqual([r.id]);
    expect(await outbox.counts()).toMatchObject({ total: 0 });
  });

  it('keeps a contact whose visit the server has not yet received waiting', async () => {
    const r = cases.newRecord('c1', 'contact', { mode: 'visit', visit_id: 'v-later' });
    await cases.addRecord(r, {}, AT);
    const items = await outbox.pendingItems();
    const refused = { id: r.id, status: 'rejected' };
    await store.applyResults(
      [{ ...refused, errors: { body: { visit_id: ['not yet received'] } } }],
      items,
    );
    expect(await outbox.counts()).toMatchObject({ waiting: 1, problems: 0 });
    await store.applyResults([{ ...refused, errors: { body: { summary: ['required'] } } }], items);
    expect(await outbox.counts()).toMatchObject({ waiting: 0, problems: 1 });
  });

  it('keeps any other refusal to show in Records', async () => {
    const made = await openAndRecord(['intake']);
    const items = await outbox.pendingItems();
    await store.applyResults(
      [
        { id: made.id, kind: 'case', status: 'created' },
        { id: made.records[0], kind: 'case_record', status: 'rejected', errors: { body: ['x'] } },
      ],
      items,
    );
    expect((await outbox.problems()).map((i) => [i.type, i.errors])).toEqual([
      ['case_record', { body: ['x'] }],
    ]);
  });

  it('discarding a case opened here takes its waiting records with it', async () => {
    const made = await openAndRecord(['intake', 'assessment']);
    await outbox.discard(made.id);
    expect(await outbox.counts()).toMatchObject({ total: 0 });
    expect(await cases.getCase(made.id)).toBeUndefined();
  });

  it('saves the contact counting a visit for a case with the visit, naming it', async () => {
    const made = await openAndRecord(['intake']);
    draft.start({ id: 'r1', unit_id: 'u1' }, { kind: 'ward' });
    draft.change({ service_given: 'Talked about her son', signature: SIGNATURE });
    draft.countForCase(made.id, ['g1']);
    const saved = await draft.finish();
    expect(saved.case_contact).toBeUndefined();
    const contact = (await outbox.pendingItems()).at(-1);
    expect(contact.type).toBe('case_record');
    expect(contact.payload).toMatchObject({
      case_id: made.id,
      kind: 'contact',
      body: {
        mode: 'visit',
        visit_id: saved.id,
        goal_ids: ['g1'],
        summary: 'Talked about her son',
      },
    });
    expect((await cases.getCase(made.id)).last_contact_at).toBe(saved.checked_out_at);
  });
});

describe('the stage, with the records still waiting', () => {
  it('moves as the server moves it: intake, assessment, intervention, closing', async () => {
    const steps = [
      [[], 'intake'],
      [['intake'], 'assessment'],
      [['intake', 'assessment'], 'assessment'],
      [['intake', 'assessment', 'plan'], 'intervention'],
      [['intake', 'assessment', 'plan', 'contact', 'review'], 'intervention'],
      [['intake', 'assessment', 'plan', 'contact', 'review', 'closure'], 'closing'],
    ];
    for (const [kinds, stage] of steps) {
      await resetDb();
      const made = await openAndRecord(kinds);
      const c = await cases.getCase(made.id);
      expect([kinds.at(-1), c.stage]).toEqual([kinds.at(-1), stage]);
      expect(c.records.map((r) => r.kind)).toEqual(kinds);
    }
  });

  it('a reassessment keeps a planned case in intervention; a review sets the next one', async () => {
    await store.applyRoster({ cases: [pulled('a')] });
    const review = cases.newRecord('a', 'review', { progress: [], summary: '' });
    await cases.addRecord(review, {}, '2026-12-01T10:00:00+08:00');
    await cases.addRecord(cases.newRecord('a', 'assessment', { needs: [] }), {}, AT);
    const c = await cases.getCase('a');
    expect(c.stage).toBe('intervention');
    expect(c.review_due_on).toBe('2026-12-29');
    expect(cases.allowedKinds(c)).toEqual(['assessment', 'plan', 'contact', 'review', 'closure']);
  });

  it('applies only what is still waiting, and a closed case allows nothing more', async () => {
    await store.applyRoster({ cases: [pulled('a')] });
    const closure = cases.newRecord('a', 'closure', { reason: 'moved' }, SIGNATURE);
    await cases.addRecord(closure, {}, AT);
    const [item] = await outbox.pendingItems();
    await store.applyResults(
      [{ id: item.id, status: 'rejected', errors: { body: ['no'] } }],
      [item],
    );
    expect((await cases.getCase('a')).stage).toBe('intervention');
    await outbox.replacePayload(item.id, item.payload);
    const c = await cases.getCase('a');
    expect(c.stage).toBe('closing');
    expect(c.review_due_on).toBeNull();
    expect(cases.allowedKinds(c)).toEqual([]);
  });
});

describe('the pull of cases', () => {
  it('keeps the cases pulled, deletes those in removed.cases', async () => {
    await store.applyRoster({ cases: [pulled('a'), pulled('b')] });
    expect((await cases.openCases()).map((c) => c.id).sort()).toEqual(['a', 'b']);
    await store.applyRoster({ cases: [], removed: { cases: ['a'] } });
    expect((await cases.openCases()).map((c) => c.id)).toEqual(['b']);
  });

  it('an older copy arriving last keeps the records the phone already holds', async () => {
    const intake = {
      id: 'rec-1',
      kind: 'intake',
      at: AT,
      version: 1,
      author: null,
      body: { register: {}, consent: { given: true, by: 'resident', name: '' } },
      signed: null,
    };
    await store.applyRoster({ cases: [pulled('a', { stage: 'assessment', records: [intake] })] });
    // The answer of an earlier sync, read before the intake: no record, still at intake.
    await store.applyRoster({ cases: [pulled('a', { stage: 'intake', records: [] })] });
    const held = await cases.getCase('a');
    expect(held.records.map((r) => r.id)).toEqual(['rec-1']);
    expect(held.stage).toBe('assessment');
  });

  it('a reset replaces the cases with those it carries', async () => {
    await store.applyRoster({ cases: [pulled('old')] });
    server.cases.set('new', pulled('new'));
    expect(await client.run()).toMatchObject({ ok: true });
    expect((await db.cases.toCollection().primaryKeys()).sort()).toEqual(['new']);
  });

  it('stores cases sealed with a PIN: only ids in clear', async () => {
    await vault.enable('2468', 5, { iterations: 1000 });
    await store.applyRoster({ cases: [pulled('a')] });
    const [row] = await db.cases.toArray();
    expect(Object.keys(row).sort()).toEqual(['id', 'resident_id', 'sealed']);
    expect(JSON.stringify(row)).not.toContain('Resident 2');
    expect((await cases.getCase('a')).resident_name).toBe('Resident 2');
  });
});

describe('the time a step is recorded', () => {
  it('keeps milliseconds, so two steps of one second keep their order', async () => {
    const { stamp } = await import('../src/state/cases.js');
    const at = stamp(new Date(2026, 10, 23, 9, 5, 7, 42));
    expect(at).toMatch(/^2026-11-23T09:05:07\.042([+-]\d{2}:\d{2})$/);
    expect(Date.parse(at)).toBe(new Date(2026, 10, 23, 9, 5, 7, 42).getTime());
  });
});
