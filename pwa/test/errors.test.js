import { describe, it, expect } from 'vitest';
import { flattenErrors, errorsText } from '../src/worker/views/errors.js';
import { setLang } from '../src/lib/i18n/index.js';

describe("the server's reasons", () => {
  const nested = {
    observations: { notes: ['Longer than maximum length 2000.'] },
    signature: {
      signer_name: ['Give the name of the family member who signed.'],
      strokes: { 0: ['Out of bounds.'] },
    },
    _request: ['Too large to send'],
  };

  it('are flattened to dotted fields', () => {
    expect(flattenErrors(nested)).toEqual({
      'observations.notes': ['Longer than maximum length 2000.'],
      'signature.signer_name': ['Give the name of the family member who signed.'],
      'signature.strokes.0': ['Out of bounds.'],
      _request: ['Too large to send'],
    });
  });

  it('read as words the worker knows', () => {
    setLang('en');
    expect(errorsText(nested)).toBe(
      'Observations: Longer than maximum length 2000.; Signature: Give the name of the family member who signed.; ' +
        'Signature: Out of bounds.; Request: Too large to send',
    );
  });
});

describe('a refused sync item with codes', () => {
  const errors = {
    satisfaction: ['Must be one of: satisfied, basically_satisfied, unsatisfied.'],
    checked_in_at: ['The check-in is more than 90 days old: …'],
  };
  const codes = {
    satisfaction: [
      {
        code: 'one_of',
        choices: ['satisfied', 'basically_satisfied', 'unsatisfied'],
        message: errors.satisfaction[0],
      },
    ],
    checked_in_at: [{ code: 'too_old', days: 90, message: errors.checked_in_at[0] }],
  };

  it("is said in the worker's language from its codes", () => {
    setLang('zh-CN');
    const text = errorsText(errors, codes);
    expect(text).toContain('已超过90天');
    expect(text).not.toContain('more than 90 days');
    setLang('en');
    expect(errorsText(errors, codes)).toContain('More than 90 days old');
  });

  it("keeps the server's words where the code only says invalid", () => {
    setLang('zh-CN');
    const said = 'Give the name of the family member who signed.';
    const text = errorsText(
      { signature: { signer_name: [said] } },
      { signature: { signer_name: [{ code: 'invalid', message: said }] } },
    );
    expect(text).toContain(said);
    setLang('en');
  });

  it("falls back to the server's words for a code the app does not know", () => {
    setLang('zh-CN');
    const odd = { kind: [{ code: 'brand_new', message: 'A new rule.' }] };
    expect(errorsText({ kind: ['A new rule.'] }, odd)).toContain('A new rule.');
    setLang('en');
  });
});
