import { describe, it, expect } from 'vitest';
import {
  reachedOffices,
  defaultOffice,
  documentsByKind,
  plansByYear,
  ruleChecks,
  inPost,
  changedFields,
  fmtBytes,
  uploadForm,
  withOwnWords,
} from '../src/office/office-facts-logic.js';
import { ApiError } from '../src/lib/api.js';

const offices = [
  { id: 'a', kind: 'office', reached: true },
  { id: 'b', kind: 'office', reached: true },
];

describe("the office's facts screen", () => {
  it('shows the offices reached, one’s own first, else the first', () => {
    const seen = [
      { id: 'c', kind: 'city', reached: false },
      { id: 'd', kind: 'district' },
      ...offices,
    ];
    expect(reachedOffices(seen).map((o) => o.id)).toEqual(['a', 'b']);
    expect(defaultOffice(offices, { organisation_id: 'b' })).toBe('b');
    expect(defaultOffice(offices, { organisation_id: 'city' })).toBe('a');
    expect(defaultOffice(offices, { organisation_id: 'b' }, 'a')).toBe('a');
    expect(defaultOffice(offices, null, 'elsewhere')).toBe('a');
    expect(defaultOffice([], null)).toBe('');
  });

  it('groups documents by kind and the annual plans by year, the latest year first', () => {
    const docs = [
      { id: 1, kind: 'annual_plan', year: 2025 },
      { id: 2, kind: 'rules', year: null },
      { id: 3, kind: 'annual_plan', year: null },
      { id: 4, kind: 'annual_plan', year: 2026 },
      { id: 5, kind: 'annual_plan', year: 2026 },
    ];
    expect(documentsByKind(docs).rules.map((d) => d.id)).toEqual([2]);
    expect(documentsByKind(docs).evidence).toEqual([]);
    expect(plansByYear(docs).map(([y, plans]) => [y, plans.map((p) => p.id)])).toEqual([
      [2026, [4, 5]],
      [2025, [1]],
      [null, [3]],
    ]);
  });

  it('turns the year’s rule into its three checks', () => {
    const rule = {
      head: true,
      fulltime: false,
      others: true,
      others_count: 3,
      min_fulltime: 1,
      min_others: 2,
      met: false,
    };
    expect(ruleChecks(rule)).toEqual([
      { key: 'head', ok: true },
      { key: 'fulltime', ok: false, min: 1 },
      { key: 'others', ok: true, n: 3, min: 2 },
    ]);
  });

  it('knows who is in post on a day, the last day included', () => {
    const entry = { started_on: '2026-04-01', ended_on: '2026-06-30' };
    expect(inPost(entry, '2026-03-31')).toBe(false);
    expect(inPost(entry, '2026-06-30')).toBe(true);
    expect(inPost(entry, '2026-07-01')).toBe(false);
    expect(inPost({ started_on: '2026-04-01', ended_on: null }, '2030-01-01')).toBe(true);
  });

  it('sends only what changed in an edit', () => {
    const entry = { name: 'A', phone: '', ended_on: null, user_id: null, qualification: 'MSW' };
    expect(
      changedFields(entry, {
        name: 'A',
        phone: '',
        ended_on: null,
        user_id: null,
        qualification: '',
      }),
    ).toEqual({ qualification: '' });
    expect(changedFields(entry, { ended_on: '2026-05-01' })).toEqual({ ended_on: '2026-05-01' });
  });

  it('says sizes in bytes, kilobytes and megabytes', () => {
    expect(fmtBytes(820)).toBe('820 B');
    expect(fmtBytes(12_595)).toBe('12.3 KB');
    expect(fmtBytes(4.5 * 1024 * 1024)).toBe('4.5 MB');
  });

  it('puts its own codes in words and leaves the others', () => {
    const err = new ApiError(422, 'Some fields are missing or not valid.');
    err.codes = {
      file: [{ code: 'file_type', message: 'Upload a PDF…' }],
      title: [{ code: 'required' }],
    };
    const told = withOwnWords(err, (code) => `words for ${code}`);
    expect(told).toBeInstanceOf(ApiError);
    expect(told.status).toBe(422);
    expect(told.codes.file).toEqual([{ message: 'words for file_type' }]);
    expect(told.codes.title).toEqual([{ code: 'required' }]);
  });
});

class FakeXhr {
  static last = null;
  constructor() {
    this.headers = {};
    this.upload = {};
    FakeXhr.last = this;
  }
  open(method, path) {
    Object.assign(this, { method, path });
  }
  setRequestHeader(k, v) {
    this.headers[k] = v;
  }
  send(body) {
    this.body = body;
  }
  answer(status, data) {
    this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
    this.status = status;
    this.responseText = JSON.stringify(data);
    this.onload();
  }
}

describe('an upload', () => {
  it('tells its progress and answers the created document', async () => {
    const shares = [];
    const done = uploadForm(
      '/api/v1/offices/a/documents',
      'FORM',
      'tok',
      (s) => shares.push(s),
      FakeXhr,
    );
    FakeXhr.last.answer(201, { id: 'doc' });
    expect(await done).toEqual({ id: 'doc' });
    expect(shares).toEqual([0.5]);
    expect(FakeXhr.last.headers.Authorization).toBe('Bearer tok');
    expect(FakeXhr.last.body).toBe('FORM');
  });

  it('rejects with the problem’s status and codes', async () => {
    const done = uploadForm('/x', 'FORM', 'tok', null, FakeXhr);
    FakeXhr.last.answer(413, { detail: 'too big', code: 'too_large' });
    await expect(done).rejects.toMatchObject({
      status: 413,
      code: 'too_large',
      message: 'too big',
    });
  });
});
