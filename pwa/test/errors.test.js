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
