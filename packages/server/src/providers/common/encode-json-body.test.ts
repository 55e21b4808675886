import { describe, expect, it } from '@jest/globals';
import { encodeJSONBody } from './encode-json-body.js';

describe('encodeJSONBody', () => {
  it.each([
    [
      'a request with non-ASCII text',
      { model: 'm', messages: [{ role: 'user', content: 'a — 🤖' }] },
    ],
    [
      'members and elements JSON.stringify drops or nulls',
      { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s'), 1], '1': 2 },
    ],
    ['toJSON and dates', { d: new Date(0), e: { toJSON: () => 'x' }, f: null }],
    ['nesting past the split levels', { g: [[1, [2]], { h: { i: [{ j: 'é' }] } }] }],
    ['a lone surrogate', { s: '\ud800' }],
    ['an array at the top', [1, 'x', undefined]],
    ['a prototype-less object', Object.assign(Object.create(null) as object, { z: 1 })],
  ])('gives the bytes of JSON.stringify for %s', (_name, value) => {
    expect(encodeJSONBody(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
  });
});
