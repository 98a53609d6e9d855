// A fake Rounds server speaking the sync contract, with knobs for the ways networks fail.
import { gunzipSync } from 'node:zlib';

export function fakeServer({
  residents = [],
  units = [{ id: 'u1', name: 'Ward 1', kind: 'ward' }],
  pageSize = 1000,
  maxItems = 200,
} = {}) {
  const s = {
    visits: new Map(), // id -> canonical JSON
    amendments: new Map(),
    units,
    residents,
    pageSize,
    maxItems,
    token: 'tok',
    requests: [],
    loseNextAnswer: 0, // process the request, then fail as if the answer were lost
    hangNext: 0, // never answer
    rejectIf: () => null, // visit -> errors or null
    resetNext: false,
    tasks: new Map(), // id -> task entry as the pull sends it (open ones)
    taskEvents: new Map(), // id -> canonical JSON
    changedTasks: new Set(), // ids to send with the next answer
    removedTasks: new Set(), // ids to send in removed.tasks with the next answer
    closedTasks: new Map(), // id -> the task as it was closed
    cases: new Map(), // id -> case entry as the pull sends it, records included
    caseRecords: new Map(), // id -> canonical JSON
    changedCases: new Set(),
    removedCases: new Set(),
    // Review of records (docs/reviews.md).
    reviews: new Map(), // id -> returned review as the pull sends it (open ones)
    replies: new Map(), // id -> canonical JSON
    changedReviews: new Set(),
    removedReviews: new Set(),
  };

  /** Ingest the phone's replies after its amendments (docs/reviews.md). */
  function ingestReplies(body, results) {
    for (const r of body.review_replies || []) {
      if (r.amendment_id && !s.amendments.has(r.amendment_id)) {
        results.push({
          id: r.id,
          kind: 'review_reply',
          status: 'rejected',
          errors: { amendment_id: ['not yet received'] },
        });
        continue;
      }
      const dup = s.replies.has(r.id);
      s.replies.set(r.id, JSON.stringify(r));
      if (!dup && s.reviews.delete(r.review_id)) {
        s.changedReviews.delete(r.review_id);
        s.removedReviews.add(r.review_id);
      }
      results.push({ id: r.id, kind: 'review_reply', status: dup ? 'duplicate' : 'created' });
    }
  }

  /** The reviews half of the pull: changed ones, or every open one on a reset. */
  function reviewPage(reset) {
    const ids = reset
      ? [...s.reviews.keys()]
      : [...s.changedReviews].filter((id) => s.reviews.has(id));
    const removed = reset ? [] : [...s.removedReviews];
    s.changedReviews.clear();
    s.removedReviews.clear();
    return {
      reviews: ids.map((id) => structuredClone(s.reviews.get(id))),
      removedReviews: removed,
    };
  }

  /** Ingest the phone's cases, then its records, in the order sent (docs/cases.md). */
  function ingestCases(body, results) {
    for (const p of body.cases || []) {
      const dup = s.cases.has(p.id);
      if (!dup) {
        s.cases.set(p.id, {
          ...p,
          worker_id: p.worker_id || 'me',
          resident_name: `Name of ${p.resident_id}`,
          unit_id: 'u1',
          stage: 'intake',
          closed_at: null,
          archived_at: null,
          last_contact_at: null,
          review_due_on: null,
          records: [],
        });
        s.changedCases.add(p.id);
      }
      results.push({ id: p.id, kind: 'case', status: dup ? 'duplicate' : 'created' });
    }
    for (const r of body.case_records || []) {
      const c = s.cases.get(r.case_id);
      if (!c) {
        results.push({
          id: r.id,
          kind: 'case_record',
          status: 'rejected',
          errors: { case_id: ['not yet received'] },
        });
        continue;
      }
      const dup = s.caseRecords.has(r.id);
      if (!dup) {
        s.caseRecords.set(r.id, JSON.stringify(r));
        const version = c.records.filter((x) => x.kind === r.kind).length + 1;
        c.records.push({
          id: r.id,
          kind: r.kind,
          at: r.at,
          author: { id: 'me', display_name: 'Me' },
          version,
          body: r.body,
          signed: r.signature ? { signer: r.signature.signer, signer_name: null } : null,
        });
        const next = { intake: 'assessment', plan: 'intervention', closure: 'closing' }[r.kind];
        if (next) c.stage = next;
        if (r.kind === 'assessment' && c.records.some((x) => x.kind === 'plan'))
          c.stage = 'intervention';
        s.changedCases.add(c.id);
      }
      results.push({ id: r.id, kind: 'case_record', status: dup ? 'duplicate' : 'created' });
    }
  }

  /** The cases half of the pull: changed ones, or every one on a reset. */
  function casePage(reset) {
    const ids = reset ? [...s.cases.keys()] : [...s.changedCases];
    const removed = reset ? [] : [...s.removedCases];
    s.changedCases.clear();
    s.removedCases.clear();
    return { cases: ids.map((id) => structuredClone(s.cases.get(id))), removedCases: removed };
  }

  /** Ingest the phone's tasks, then its events, as docs/tasks.md says. */
  function ingestTasks(body, results) {
    for (const p of body.tasks || []) {
      const dup = s.tasks.has(p.id) || s.closedTasks.has(p.id);
      if (!dup) {
        const { assignee_id, ...rest } = p;
        s.tasks.set(p.id, {
          ...rest,
          resident_name: `Name of ${p.resident_id}`,
          unit_id: 'u1',
          status: 'open',
          source: 'manual',
          finding: null,
          assignee: { id: assignee_id || 'me', display_name: 'Me' },
          updated_at: p.created_at,
        });
        s.changedTasks.add(p.id);
      }
      results.push({ id: p.id, kind: 'task', status: dup ? 'duplicate' : 'created' });
    }
    for (const e of body.task_events || []) {
      const task = s.tasks.get(e.task_id);
      if (!task && !s.closedTasks.has(e.task_id)) {
        results.push({
          id: e.id,
          kind: 'task_event',
          status: 'rejected',
          errors: { task_id: ['not yet received'] },
        });
        continue;
      }
      const dup = s.taskEvents.has(e.id);
      s.taskEvents.set(e.id, JSON.stringify(e));
      if (!dup && task) {
        if (e.kind === 'closed' || e.kind === 'cancelled') {
          s.closedTasks.set(e.task_id, {
            ...task,
            status: 'done',
            ...e.changes,
            visit: e.visit_id,
          });
          s.tasks.delete(e.task_id);
          s.changedTasks.delete(e.task_id);
          s.removedTasks.add(e.task_id);
        } else {
          if (e.kind === 'started') task.status = 'in_progress';
          if (e.kind === 'rescheduled') task.due_on = e.changes.due_on;
          s.changedTasks.add(e.task_id);
        }
      }
      results.push({ id: e.id, kind: 'task_event', status: dup ? 'duplicate' : 'created' });
    }
  }

  /** The tasks half of the pull: changed ones, or every open one on a reset. */
  function taskPage(reset) {
    const ids = reset ? [...s.tasks.keys()] : [...s.changedTasks];
    const removed = reset ? [] : [...s.removedTasks];
    s.changedTasks.clear();
    s.removedTasks.clear();
    return { tasks: ids.map((id) => s.tasks.get(id)), removedTasks: removed };
  }

  function page(cursor) {
    const start = cursor === null ? 0 : Number(cursor.split(':')[1]);
    const reset = cursor === null || s.resetNext;
    s.resetNext = false;
    const from = reset ? 0 : start;
    const slice = s.residents.slice(from, from + s.pageSize);
    const end = from + slice.length;
    return {
      units: from === 0 ? s.units : [],
      residents: slice,
      removed: { residents: [], units: [] },
      reset,
      cursor: `c:${end}`,
      more: end < s.residents.length,
    };
  }

  s.fetch = async (url, init) => {
    const headers = init.headers;
    let raw = init.body;
    if (headers['Content-Encoding'] === 'gzip') raw = gunzipSync(Buffer.from(raw)).toString('utf8');
    const body = JSON.parse(raw);
    s.requests.push({ headers, body, gzip: headers['Content-Encoding'] === 'gzip' });
    if (s.hangNext > 0) {
      s.hangNext--;
      return new Promise((resolve, reject) =>
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        ),
      );
    }
    if (headers.Authorization !== `Bearer ${s.token}`)
      return respond(401, { title: 'Unauthorized', status: 401, detail: 'Token expired' });
    const n = body.visits.length + body.amendments.length;
    if (n > s.maxItems)
      return respond(413, { title: 'Too large', status: 413, detail: `at most ${s.maxItems}` });
    const results = [];
    for (const v of body.visits) {
      const key = JSON.stringify(v);
      const errors = s.rejectIf(v);
      if (errors) results.push({ id: v.id, kind: 'visit', status: 'rejected', errors });
      else if (!s.visits.has(v.id)) {
        s.visits.set(v.id, key);
        results.push({ id: v.id, kind: 'visit', status: 'created' });
      } else
        results.push({
          id: v.id,
          kind: 'visit',
          status: s.visits.get(v.id) === key ? 'duplicate' : 'conflict',
          errors: {},
        });
    }
    for (const a of body.amendments) {
      const dup = s.amendments.has(a.id);
      s.amendments.set(a.id, a);
      results.push({ id: a.id, kind: 'amendment', status: dup ? 'duplicate' : 'created' });
    }
    ingestTasks(body, results);
    ingestCases(body, results);
    ingestReplies(body, results);
    const roster = page(body.cursor);
    const { tasks, removedTasks } = taskPage(roster.reset);
    roster.removed.tasks = removedTasks;
    const { cases, removedCases } = casePage(roster.reset);
    roster.removed.cases = removedCases;
    const { reviews, removedReviews } = reviewPage(roster.reset);
    roster.removed.reviews = removedReviews;
    const answer = {
      results,
      ...roster,
      tasks,
      cases,
      reviews,
      server_time: '2026-11-23T10:00:00+08:00',
    };
    if (s.loseNextAnswer > 0) {
      s.loseNextAnswer--;
      throw new TypeError('Failed to fetch');
    }
    return respond(200, answer);
  };

  function respond(status, json) {
    return { status, ok: status < 300, headers: new Map(), text: async () => JSON.stringify(json) };
  }
  return s;
}

export function residentsN(n, unit = 'u1') {
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i + 1}`,
    unit_id: unit,
    name: `Resident ${i + 1}`,
    room: `${100 + i}`,
    status: 'active',
    qr_token: `tok${i + 1}`,
    coverage: { week: '2026-W48', required: 2, days_visited: 0, last_visit_at: null },
  }));
}
