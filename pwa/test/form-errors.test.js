import { describe, it, expect } from 'vitest';
import { fieldMessages, reasonText, flatten } from '../src/lib/form-errors.js';

const length = {
  code: 'length',
  min: 1,
  max: 120,
  message: 'Length must be between 1 and 120.',
};

describe("a field's reasons in the user's language", () => {
  it('say a length with its bounds in Chinese and in English', () => {
    expect(reasonText(length, 'display_name', 'zh-CN')).toBe('长度须在 1 到 120 个字符之间。');
    expect(reasonText(length, 'display_name', 'en')).toBe('Must be 1 to 120 characters long.');
  });

  it('say a bound that is only a maximum as a maximum', () => {
    const max = { code: 'length', max: 40, message: 'Longer than maximum length 40.' };
    expect(reasonText(max, 'phone', 'zh-CN')).toBe('最多 40 个字符。');
    expect(reasonText({ code: 'range', min: 1890, message: '' }, 'y', 'en')).toBe('At least 1890.');
  });

  it('list the choices with the punctuation of the language', () => {
    const oneOf = { code: 'one_of', choices: ['a', 'b'], message: 'Must be one of: a, b.' };
    expect(reasonText(oneOf, 'care_level', 'zh-CN')).toBe('请从以下选项中选择：a、b。');
    expect(reasonText(oneOf, 'care_level', 'en')).toBe('Choose one of: a, b.');
  });

  it("use a field's own words for a code when it has them", () => {
    const pattern = { code: 'pattern', message: 'Use letters, digits and . _ @ - only.' };
    expect(reasonText(pattern, 'username', 'zh-CN')).toBe('只能使用字母、数字和 . _ @ - 。');
    expect(reasonText(pattern, 'room', 'zh-CN')).toBe('含有不允许的字符。');
  });

  it("fall back to the server's message for a code the app does not know", () => {
    const novel = { code: 'on_leave', message: 'The worker is on leave.' };
    expect(reasonText(novel, 'worker_id', 'zh-CN')).toBe('The worker is on leave.');
  });
});

describe('a problem by field', () => {
  it('keeps the nesting as dotted paths, codes first', () => {
    const problem = {
      errors: {
        display_name: ['Length must be between 1 and 120.'],
        care_levels: { 1: { required: ['Must be greater than or equal to 0.'] } },
      },
      codes: {
        display_name: [length],
        care_levels: { 1: { required: [{ code: 'range', min: 0, max: 31, message: '…' }] } },
      },
    };
    expect(fieldMessages(problem, 'zh-CN')).toEqual({
      display_name: ['长度须在 1 到 120 个字符之间。'],
      'care_levels.1.required': ['须在 0 到 31 之间。'],
    });
  });

  it("shows a server's messages as they are when it sends no codes", () => {
    const problem = {
      errors: { name: ['Already in use.'], device: { id: ['Not a valid UUID.'] } },
    };
    expect(fieldMessages(problem, 'zh-CN')).toEqual({
      name: ['Already in use.'],
      'device.id': ['Not a valid UUID.'],
    });
  });

  it('says a reason given twice once (the weak password comes in two languages)', () => {
    const weak = [
      { code: 'weak_password', message: 'This password is too easy to guess.' },
      { code: 'weak_password', message: '密码太容易被猜到。' },
    ];
    expect(fieldMessages({ codes: { password: weak } }, 'zh-CN')).toEqual({
      password: ['密码太容易被猜到：请使用更长的密码，例如几个不相关的词。'],
    });
  });

  it('flattens lists by index and leaves lone values as one reason', () => {
    expect(flatten({ a: { 0: ['x'] }, b: 'y', c: { code: 'taken' } })).toEqual({
      'a.0': ['x'],
      b: ['y'],
      c: [{ code: 'taken' }],
    });
  });
});
