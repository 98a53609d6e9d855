import { describe, it, expect, beforeEach } from 'vitest';
import * as draft from '../src/state/draft.js';
import { getMeta } from '../src/sync/db.js';
import { resetDb } from './helpers.js';

const resident = { id: 'r1', name: '王小明' };
const strokes = [[10, 10, 3, 4, 5, 6]];

describe('the draft', () => {
  beforeEach(async () => {
    draft.forget();
    await resetDb();
  });

  it('keeps the signer, the family member and the strokes across a reload', async () => {
    draft.start(resident, { kind: 'ward' });
    draft.change({ satisfaction: 'basically_satisfied', step: 'rate' });
    draft.change({
      signature: draft.cleanSignature({
        signer: 'proxy',
        signer_name: '李明（儿子）',
        width: 320,
        height: 180,
        strokes,
      }),
    });
    draft.flush();
    await new Promise((r) => setTimeout(r, 20));
    draft.forget();
    await draft.load(); // what a reload reads
    const kept = draft.current();
    expect(kept.satisfaction).toBe('basically_satisfied');
    expect(kept.step).toBe('rate');
    expect(kept.signature).toMatchObject({
      signer: 'proxy',
      signer_name: '李明（儿子）',
      width: 320,
      height: 180,
      strokes,
    });
    expect((await getMeta('draft')).signature.signer_name).toBe('李明（儿子）');
  });
});

describe('the signature kept and sent', () => {
  it('trims the family member’s name', () => {
    expect(
      draft.cleanSignature({ signer: 'proxy', signer_name: '  李明（儿子） ', strokes }),
    ).toMatchObject({ signer: 'proxy', signer_name: '李明（儿子）', reason: null, strokes });
  });

  it('drops a name typed before the signer went back to the resident', () => {
    expect(
      draft.cleanSignature({ signer: 'resident', signer_name: '李明', reason: 'x', strokes }),
    ).toMatchObject({ signer: 'resident', signer_name: null, reason: null, strokes });
  });

  it('keeps a reason, and no strokes, only when the resident cannot sign', () => {
    expect(
      draft.cleanSignature({ signer: 'none', signer_name: '李明', reason: ' 手抖 ', strokes }),
    ).toMatchObject({ signer: 'none', signer_name: null, reason: '手抖', strokes: [] });
  });

  it('has the API’s shape even before anything was drawn', () => {
    expect(draft.cleanSignature({ signer: 'resident' })).toEqual({
      signer: 'resident',
      signer_name: null,
      reason: null,
      width: 600,
      height: 200,
      encoding: 'delta',
      strokes: [],
    });
  });
});
