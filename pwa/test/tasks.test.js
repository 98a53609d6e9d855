// Follow-up tasks on the phone: what waits, in which order it goes, what the pull's tasks and
// removals do, and what the lists show before the server has heard anything.
import { describe, it, expect, beforeEach } from 'vitest';
import { createSyncClient } from '../src/sync/client.js';
import { store } from '../src/sync/store.js';
import * as outbox from '../src/sync/outbox.js';
import * as tasks from '../src/sync/tasks.js';
import * as vault from '../src/sync/vault.js';
import { resetKeyring } from '../src/sync/keyring.js';
import { db, setMeta } from '../src/sync/db.js';
import * as draft from '../src/state/draft.js';
import * as session from '../src/state/session.js';
import * as status from '../src/state/status.js';
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

/** A task as the pull sends it. */
function pulled(id, over = {}) {
  return {
    id,
    resident_id: 'r1',
    resident_name: 'Resident 1',
    unit_id: 'u1',
    title: `Task ${id}`,
    details: '',
    priority: 'soon',
    status: 'open',
    source: 'finding',
    finding: 'physical',
    visit_id: null,
    assignee: { id: 'me', display_name: 'Me' },
    due_on: '2026-11-25',
    created_at: AT,
    updated_at: AT,
    ...over,
  };
}

const raise = (over = {}) =>
  tasks.newTask({
    residentId: 'r1',
    title: 'Call the son',
    priority: 'urgent',
    dueOn: '2026-11-24',
    ...over,
  });

describe('the outbox of tasks and task events', () => {
  it('sends an event for a task made offline after the task, even in another batch', async () => {
    const task = raise();
    const close = tasks.newEvent(task.id, 'closed', { outcome: 'Called' });
    // The event is written first and older: the order still puts the task ahead of it.
    await tasks.addEvent(close, AT, new Date(1000));
    await tasks.addTask(task, { resident_name: 'Resident 1' }, AT, new Date(2000));
    await outbox.addVisit(visit(), new Date(3000));
    expect((await outbox.pendingItems()).map((i) => i.type)).toEqual([
      'visit',
      'task',
      'task_event',
    ]);

    const small = createSyncClient({ store, fetchImpl: server.fetch, maxBatch: 2 });
    const out = await small.run();
    expect(out).toMatchObject({ ok: true, created: 3, rejected: 0 });
    const sent = server.requests.map((r) => [
      r.body.visits.length,
      r.body.tasks.map((t) => t.id),
      r.body.task_events.map((e) => e.task_id),
    ]);
    expect(sent).toEqual([
      [1, [task.id], []],
      [0, [], [task.id]],
    ]);
    expect(server.closedTasks.get(task.id)).toMatchObject({ outcome: 'Called' });
    expect(await outbox.counts()).toEqual({ waiting: 0, problems: 0, total: 0 });
  });

  it('keeps an event the server has no task for yet waiting, and sends it again', async () => {
    const event = tasks.newEvent('t-elsewhere', 'noted', { note: 'Son called back' });
    await tasks.addEvent(event, AT);
    const first = await client.run();
    expect(first).toMatchObject({ ok: true, rejected: 0 });
    expect((await outbox.pendingItems()).map((i) => i.id)).toEqual([event.id]);

    server.tasks.set('t-elsewhere', pulled('t-elsewhere'));
    await client.run();
    expect(server.requests.at(-1).body.task_events.map((e) => e.id)).toEqual([event.id]);
    expect(await outbox.counts()).toMatchObject({ total: 0 });
  });

  it('applies a replayed answer without removing anything twice', async () => {
    const task = raise();
    await tasks.addTask(task, {}, AT, new Date(1000));
    const sent = await outbox.pendingItems();
    const answer = [{ id: task.id, kind: 'task', status: 'created' }];
    await store.applyResults(answer, sent);
    // A note made after the first answer, then the same answer again (a retried request).
    const note = tasks.newEvent(task.id, 'noted', { note: 'Rang twice' });
    await tasks.addEvent(note, AT, new Date(2000));
    const again = await store.applyResults(answer, sent);
    expect(again).toMatchObject({ rejected: 0, conflict: 0 });
    expect((await outbox.all()).map((i) => i.id)).toEqual([note.id]);
    expect(await db.tasks.count()).toBe(1);
    expect((await tasks.history(task.id)).map((e) => [e.kind, e.state])).toEqual([
      ['noted', 'pending'],
    ]);
  });

  it('keeps conflicts and refusals to show, like visits', async () => {
    const task = raise({ title: 'x' });
    await tasks.addTask(task, {}, AT);
    await store.applyResults(
      [{ id: task.id, kind: 'task', status: 'rejected', errors: { due_on: ['in the past'] } }],
      await outbox.pendingItems(),
    );
    expect((await outbox.problems()).map((i) => [i.type, i.state, i.errors])).toEqual([
      ['task', 'rejected', { due_on: ['in the past'] }],
    ]);
  });

  it('discarding a task raised here takes its waiting events with it', async () => {
    const task = raise();
    await tasks.addTask(task, {}, AT);
    await tasks.addEvent(tasks.newEvent(task.id, 'started'), AT);
    await outbox.discard(task.id);
    expect(await outbox.counts()).toMatchObject({ total: 0 });
    expect(await db.task_log.count()).toBe(0);
  });
});

describe('the pull of tasks', () => {
  it('deletes the tasks in removed.tasks, and their history here', async () => {
    await store.applyRoster({ tasks: [pulled('a'), pulled('b')] });
    await tasks.addEvent(tasks.newEvent('a', 'noted', { note: 'seen' }), AT);
    await store.applyResults(
      [{ id: (await outbox.all())[0].id, status: 'created' }],
      await outbox.pendingItems(),
    );
    await store.applyRoster({ tasks: [], removed: { tasks: ['a'] } });
    expect((await db.tasks.toArray()).map((t) => t.id)).toEqual(['b']);
    expect(await db.task_log.count()).toBe(0);
  });

  it('replaces every task on a reset', async () => {
    server.tasks.set('a', pulled('a'));
    server.tasks.set('b', pulled('b'));
    await client.run();
    expect((await db.tasks.toArray()).map((t) => t.id).sort()).toEqual(['a', 'b']);

    server.tasks.delete('a');
    server.tasks.set('c', pulled('c'));
    server.resetNext = true;
    const out = await client.run();
    expect(out.ok).toBe(true);
    expect((await db.tasks.toArray()).map((t) => t.id).sort()).toEqual(['b', 'c']);
  });

  it('a task raised here and accepted stays listed, then reads as the server sent it', async () => {
    const task = raise();
    await tasks.addTask(task, { resident_name: 'Resident 1' }, AT);
    expect((await tasks.openTasks()).map((t) => [t.id, t.local])).toEqual([[task.id, true]]);
    await client.run();
    const [held] = await tasks.openTasks();
    expect(held).toMatchObject({ id: task.id, resident_name: 'Name of r1', status: 'open' });
    expect(held.local).toBeUndefined();
  });
});

describe('two answers out of order', () => {
  it('an earlier copy of a task arriving last does not undo its later change', async () => {
    const later = pulled('a', {
      status: 'in_progress',
      updated_at: '2026-11-23T02:10:00.654321+00:00',
    });
    const earlier = pulled('a', { status: 'open', updated_at: '2026-11-23T02:10:00.123456+00:00' });
    await store.applyRoster({ tasks: [later] });
    await store.applyRoster({ tasks: [earlier] });
    expect((await tasks.task('a')).status).toBe('in_progress');
    await store.applyRoster({
      tasks: [pulled('a', { status: 'done', updated_at: '2026-11-23T02:11:00+00:00' })],
    });
    expect((await tasks.task('a')).status).toBe('done');
  });

  it('a task kept from an accepted upload takes the pulled copy whatever the clocks', async () => {
    const task = raise();
    await tasks.addTask(task, { resident_name: 'Resident 1' }, '2030-01-01T00:00:00+00:00');
    await store.applyResults([{ id: task.id, status: 'created' }], await outbox.pendingItems());
    await store.applyRoster({ tasks: [pulled(task.id, { status: 'in_progress' })] });
    expect((await tasks.task(task.id)).status).toBe('in_progress');
  });
});

describe('the local copy, before the server has answered', () => {
  it('applies waiting events: started, rescheduled, closed', async () => {
    await store.applyRoster({ tasks: [pulled('a'), pulled('b'), pulled('c')] });
    await tasks.addEvent(tasks.newEvent('a', 'started'), AT);
    await tasks.addEvent(tasks.newEvent('b', 'rescheduled', { due_on: '2026-12-01' }), AT);
    await tasks.addEvent(tasks.newEvent('c', 'closed', { outcome: 'Done' }), AT);
    const open = await tasks.openTasks();
    expect(open.map((t) => [t.id, t.status, t.due_on])).toEqual([
      ['a', 'in_progress', '2026-11-25'],
      ['b', 'open', '2026-12-01'],
    ]);
    expect(await tasks.task('c')).toMatchObject({ status: 'done', outcome: 'Done' });
  });

  it('sorts by due date, then urgent before soon before routine', () => {
    const list = [
      pulled('r', { priority: 'routine', due_on: '2026-11-24' }),
      pulled('late', { priority: 'urgent', due_on: '2026-11-30' }),
      pulled('u', { priority: 'urgent', due_on: '2026-11-24' }),
      pulled('s', { priority: 'soon', due_on: '2026-11-24' }),
    ].sort(tasks.compareTasks);
    expect(list.map((t) => t.id)).toEqual(['u', 's', 'r', 'late']);
  });

  it('a close on a task closed already changes nothing but a reopening does', () => {
    const done = tasks.applyEvent(pulled('a'), { kind: 'closed', changes: { outcome: 'x' } });
    expect(tasks.applyEvent(done, { kind: 'rescheduled', changes: { due_on: '2027-01-01' } })).toBe(
      done,
    );
    expect(tasks.applyEvent(done, { kind: 'reopened', changes: {} }).status).toBe('open');
  });

  it('seals tasks and their history with a PIN set', async () => {
    await vault.enable('2468', 5, { iterations: 1000 });
    await store.applyRoster({ tasks: [pulled('a', { title: 'Ask about the fall' })] });
    await tasks.addEvent(tasks.newEvent('a', 'noted', { note: 'Knee hurts' }), AT);
    const [row] = await db.tasks.toArray();
    const [log] = await db.task_log.toArray();
    expect(Object.keys(row).sort()).toEqual(['id', 'resident_id', 'sealed']);
    expect(Object.keys(log).sort()).toEqual(['id', 'sealed', 'task_id']);
    expect((await tasks.task('a')).title).toBe('Ask about the fall');
    expect((await tasks.history('a'))[0].changes.note).toBe('Knee hurts');
  });
});

describe('tasks during a visit', () => {
  it('are saved with the visit, carry its id, and stay out of its payload', async () => {
    await store.applyRoster({ tasks: [pulled('old')] });
    draft.forget();
    const v = draft.start({ id: 'r1', name: 'Resident 1' }, { kind: 'ward' });
    draft.closeTask('old', '  Son called back  ', 'Task old');
    const raised = draft.raiseTask(
      { title: 'Refer to the doctor', priority: 'urgent', dueOn: '2026-11-24' },
      { resident_name: 'Resident 1' },
    );
    expect(await outbox.counts()).toMatchObject({ total: 0 }); // nothing before "Save"
    draft.change({ signature: draft.cleanSignature({ signer: 'none', reason: 'asleep' }) });
    await draft.finish();

    const items = await outbox.pendingItems();
    expect(items.map((i) => i.type)).toEqual(['visit', 'task', 'task_event']);
    const [saved, task, close] = items.map((i) => i.payload);
    expect(Object.keys(saved)).not.toContain('tasks');
    expect(Object.keys(saved)).not.toContain('task_events');
    expect(task).toMatchObject({ id: raised.id, visit_id: v.id, resident_id: 'r1' });
    expect(task.created_at).toBe(saved.checked_out_at);
    expect(close).toMatchObject({
      task_id: 'old',
      kind: 'closed',
      visit_id: v.id,
      changes: { outcome: 'Son called back' },
    });
    expect(Object.keys(close)).not.toContain('extra');
    expect((await tasks.openTasks()).map((t) => t.id)).toEqual([raised.id]);
  });
});

describe('the status strip', () => {
  it("counts the worker's own open tasks and the overdue ones, not a colleague's", async () => {
    await session.load();
    await store.applyRoster({
      tasks: [
        pulled('late', { due_on: '2026-11-20' }),
        pulled('later', { due_on: '2999-01-01' }),
        pulled('theirs', { due_on: '2026-11-20', assignee: { id: 'colleague' } }),
      ],
    });
    await status.refresh();
    expect(status.current().tasks).toEqual({ open: 2, overdue: 1 });
    await tasks.addEvent(tasks.newEvent('late', 'closed', { outcome: 'Done' }), AT);
    await status.refresh();
    expect(status.current().tasks).toEqual({ open: 1, overdue: 0 });
  });
});
