import { describe, expect, it } from '@jest/globals';
import { parseToolArguments } from './parse-tool-arguments.js';

describe('parseToolArguments', () => {
  it.each([
    ['valid JSON', '{"a":1}', { input: { a: 1 }, repaired: false, failed: false }],
    ['empty', '', { input: {}, repaired: false, failed: false }],
    ['null', null, { input: {}, repaired: false, failed: false }],
    ['object already', { b: 2 }, { input: { b: 2 }, repaired: false, failed: false }],
    [
      'trailing comma and single quotes',
      "{'a': 1,}",
      { input: { a: 1 }, repaired: true, failed: false },
    ],
    ['cut off', '{"command":"ls', { input: { command: 'ls' }, repaired: true, failed: false }],
    ['an array is not an input object', '[1]', { input: {}, repaired: false, failed: true }],
  ])('%s', (_name, value, expected) => {
    expect(parseToolArguments(value)).toEqual(expected);
  });
});
