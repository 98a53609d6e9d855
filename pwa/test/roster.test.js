import { describe, it, expect } from 'vitest';
import {
  weekFigures,
  localVisitIndex,
  buildRoster,
  filterRoster,
} from '../src/state/roster-figures.js';
import { isoWeek } from '../src/lib/dates.js';
import { pinyinInitials } from '../src/lib/pinyin.js';
import { parseToken, fingerprint, resolveToken } from '../src/lib/scanner.js';

const now = new Date(2026, 10, 25, 10, 0); // Wednesday 25 Nov 2026, local time
const at = (d, h = 9) => new Date(2026, 10, d, h, 0).toISOString();

describe('week figures', () => {
  it('names ISO weeks', () => {
    expect(isoWeek(new Date(2026, 10, 23))).toBe('2026-W48');
    expect(isoWeek(new Date(2026, 10, 29))).toBe('2026-W48');
    expect(isoWeek(new Date(2027, 0, 1))).toBe('2026-W53');
  });

  it('adds local visits on days after the server last counted', () => {
    const r = {
      id: 'a',
      coverage: { week: '2026-W48', required: 2, days_visited: 1, last_visit_at: at(23) },
    };
    const local = localVisitIndex(
      [
        { resident_id: 'a', checked_in_at: at(23, 15) }, // same day as the server's: already counted
        { resident_id: 'a', checked_in_at: at(25) },
        { resident_id: 'a', checked_in_at: at(25, 11) },
      ],
      now,
    );
    expect(weekFigures(r, local.get('a'), now)).toMatchObject({
      days: 2,
      required: 2,
      needs: false,
    });
  });

  it('starts a new week at zero', () => {
    const r = {
      id: 'a',
      coverage: { week: '2026-W47', required: 3, days_visited: 3, last_visit_at: at(20) },
    };
    expect(weekFigures(r, undefined, now)).toMatchObject({ days: 0, required: 3, needs: true });
  });
});

describe('roster', () => {
  const units = [
    { id: 'u2', name: 'B wing' },
    { id: 'u1', name: 'A wing' },
  ];
  const cov = (days) => ({
    week: '2026-W48',
    required: 2,
    days_visited: days,
    last_visit_at: null,
  });
  const residents = [
    { id: '1', unit_id: 'u1', name: '王小明', room: '101', status: 'active', coverage: cov(2) },
    { id: '2', unit_id: 'u1', name: '李娜', room: '102', status: 'active', coverage: cov(0) },
    { id: '3', unit_id: 'u2', name: 'Zhang Wei', room: '201', status: 'active', coverage: cov(1) },
    { id: '4', unit_id: 'u2', name: 'Gone', room: '202', status: 'discharged', coverage: cov(0) },
  ];

  it('groups by unit, those needing a round first, without inactive residents', async () => {
    const g = await buildRoster(units, residents, new Map(), now);
    expect(g.map((x) => x.name)).toEqual(['A wing', 'B wing']);
    expect(g[0].items.map((e) => e.r.name)).toEqual(['李娜', '王小明']);
    expect(g[1].items.map((e) => e.r.id)).toEqual(['3']);
    expect(g[0].needing).toBe(1);
  });

  it('finds by name, room and pinyin initials', async () => {
    const g = await buildRoster(units, residents, new Map(), now);
    const names = (q) => filterRoster(g, q).flatMap((x) => x.items.map((e) => e.r.name));
    expect(names('王')).toEqual(['王小明']);
    expect(names('wxm')).toEqual(['王小明']);
    expect(names('201')).toEqual(['Zhang Wei']);
    expect(names('zhang')).toEqual(['Zhang Wei']);
    expect(names('nothing')).toEqual([]);
  });

  it('filters 10,000 residents', async () => {
    const many = Array.from({ length: 10000 }, (_, i) => ({
      id: `${i}`,
      unit_id: `u${(i % 2) + 1}`,
      name: `居民${i}`,
      room: `${i}`,
      status: 'active',
      coverage: cov(i % 3),
    }));
    const g = await buildRoster(units, many, new Map(), now);
    expect(filterRoster(g, '9999').flatMap((x) => x.items)).toHaveLength(1);
  });
});

describe('natural order', () => {
  it('orders rooms by their numbers', async () => {
    const units = [{ id: 'u', name: 'U' }];
    const rooms = ['10-1', '2-10', '2-9', '101', 'A3', 'A12'];
    const rs = rooms.map((room, i) => ({
      id: `${i}`,
      unit_id: 'u',
      name: 'x',
      room,
      status: 'active',
      coverage: { week: '2026-W48', required: 2, days_visited: 2 },
    }));
    const g = await buildRoster(units, rs, new Map(), now);
    expect(g[0].items.map((e) => e.r.room)).toEqual(['2-9', '2-10', '10-1', '101', 'A3', 'A12']);
  });
});

describe('pinyin initials', () => {
  it('spells common names', () => {
    expect(pinyinInitials('王小明')).toBe('wxm');
    expect(pinyinInitials('张伟')).toBe('zw');
    expect(pinyinInitials('陈静 A')).toBe('cj');
  });
});

describe('QR payloads', () => {
  it('accepts the app link or a bare token', () => {
    expect(parseToken('https://rounds.example.org/r/AbC_123-xyz')).toBe('AbC_123-xyz');
    expect(parseToken('http://127.0.0.1:5000/r/tok123456/')).toBe('tok123456');
    expect(parseToken('  tok123456 ')).toBe('tok123456');
    expect(parseToken('https://evil.example/other')).toBeNull();
    expect(parseToken('hello world')).toBeNull();
  });
});

describe('scanned codes', () => {
  it('are matched by the fingerprint the roster carries', async () => {
    expect(await fingerprint('abc')).toBe('ungWv48Bz-o');
  });

  const me = { id: 'r1', name: 'Mine' };
  const known = async () => ({
    byHash: new Map([[await fingerprint('tok-mine'), me]]),
    byId: new Map([['r1', me]]),
  });

  it('open a resident of my roster without asking the server', async () => {
    const lookup = () => {
      throw new Error('not asked');
    };
    expect(await resolveToken('tok-mine', { ...(await known()), online: true, lookup })).toEqual({
      kind: 'resident',
      resident: me,
    });
  });

  it('say plainly what an unknown code is', async () => {
    const ask =
      (status, resident_id = null) =>
      async () => ({ status, resident_id });
    const k = await known();
    expect(
      await resolveToken('x-other', { ...k, online: true, lookup: ask('other_unit') }),
    ).toEqual({ kind: 'other_unit' });
    expect(await resolveToken('x-old', { ...k, online: true, lookup: ask('rotated') })).toEqual({
      kind: 'rotated',
    });
    expect(await resolveToken('x-what', { ...k, online: true, lookup: ask('unknown') })).toEqual({
      kind: 'unknown',
    });
    expect(
      await resolveToken('x-new', { ...k, online: true, lookup: ask('current', 'r1') }),
    ).toEqual({ kind: 'resident', resident: me });
    expect(
      await resolveToken('x-new', { ...k, online: true, lookup: ask('current', 'r9') }),
    ).toEqual({ kind: 'other_unit' });
    expect(
      await resolveToken('x-any', { ...k, online: false, lookup: ask('current', 'r1') }),
    ).toEqual({ kind: 'offline' });
  });
});

describe('a kept order', () => {
  it('keeps rows in place after a visit, and sorts new residents in after them', async () => {
    const units = [{ id: 'u', name: 'U' }];
    const people = ['a', 'b', 'c'].map((id, i) => ({ id, unit_id: 'u', room: `10${i}` }));
    const noPause = async () => {};
    const first = await buildRoster(units, people, new Map(), now, noPause);
    const order = new Map(first[0].items.map((e, i) => [e.r.id, i]));
    // 'a' is visited twice this week: done, yet it keeps its place at the top.
    const visited = localVisitIndex(
      [
        { resident_id: 'a', checked_in_at: at(24) },
        { resident_id: 'a', checked_in_at: at(25) },
      ],
      now,
    );
    const more = [...people, { id: 'd', unit_id: 'u', room: '099' }];
    const after = await buildRoster(units, more, visited, now, noPause, order);
    expect(after[0].items.map((e) => [e.r.id, e.needs])).toEqual([
      ['a', false],
      ['b', true],
      ['c', true],
      ['d', true],
    ]);
    const fresh = await buildRoster(units, more, visited, now, noPause);
    expect(fresh[0].items.map((e) => e.r.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});
