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
  };

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
    const answer = { results, ...page(body.cursor), server_time: '2026-11-23T10:00:00+08:00' };
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
