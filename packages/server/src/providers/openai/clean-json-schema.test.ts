import { describe, expect, it } from '@jest/globals';
import { cleanJsonSchema } from './clean-json-schema.js';

describe('cleanJsonSchema', () => {
  it.each<[string, unknown, string[] | undefined, unknown]>([
    ['removes $schema by default', { $schema: 'x', type: 'object' }, undefined, { type: 'object' }],
    [
      'removes nested keywords but keeps property names',
      {
        type: 'object',
        properties: {
          format: { type: 'string', format: 'uri' },
          list: { type: 'array', items: { anyOf: [{ const: 'a', format: 'x' }] } },
        },
        additionalProperties: false,
      },
      ['format', 'additionalProperties'],
      {
        type: 'object',
        properties: {
          format: { type: 'string' },
          list: { type: 'array', items: { anyOf: [{ const: 'a' }] } },
        },
      },
    ],
    ['no keywords → same value', { a: 1 }, [], { a: 1 }],
    ['non-objects pass', 'text', undefined, 'text'],
  ])('%s', (_name, schema, keywords, expected) => {
    expect(cleanJsonSchema(schema, keywords)).toEqual(expected);
  });
});
