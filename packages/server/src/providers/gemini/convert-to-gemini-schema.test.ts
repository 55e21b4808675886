import { describe, expect, it } from '@jest/globals';
import { listMessagesFixtures, readFixtureJSON, validateGeminiSchema } from '@conduit/test-utils';
import { convertToGeminiSchema } from './convert-to-gemini-schema.js';

describe('convertToGeminiSchema', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown> | undefined]>([
    ['no properties → no parameters', { type: 'object', properties: {} }, undefined],
    [
      'drops $schema, additionalProperties, propertyNames, default, examples',
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        additionalProperties: false,
        properties: {
          path: { type: 'string', default: '.', examples: ['a'] },
          map: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} },
        },
        required: ['path', 'ghost'],
      },
      {
        type: 'object',
        properties: { path: { type: 'string' }, map: { type: 'object' } },
        required: ['path'],
      },
    ],
    [
      'exclusiveMinimum → minimum (+1 for integers), exclusiveMaximum → maximum',
      {
        type: 'object',
        properties: {
          limit: { type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 },
          ratio: { type: 'number', exclusiveMaximum: 1 },
          legacy: { type: 'integer', minimum: 5, exclusiveMinimum: true },
        },
      },
      {
        type: 'object',
        properties: {
          limit: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
          ratio: { type: 'number', maximum: 1 },
          legacy: { type: 'integer', minimum: 6 },
        },
      },
    ],
    [
      'const → enum; anyOf of string enums → one enum',
      {
        type: 'object',
        properties: {
          status: {
            description: 'New status',
            anyOf: [
              { type: 'string', enum: ['pending', 'done'] },
              { type: 'string', const: 'deleted' },
            ],
          },
          kind: { const: 'fixed' },
        },
      },
      {
        type: 'object',
        properties: {
          status: {
            description: 'New status',
            type: 'string',
            enum: ['pending', 'done', 'deleted'],
          },
          kind: { type: 'string', enum: ['fixed'] },
        },
      },
    ],
    [
      'unsupported string formats are dropped into the description; date-time is kept',
      {
        type: 'object',
        properties: {
          url: { type: 'string', format: 'uri', description: 'The URL' },
          when: { type: 'string', format: 'date-time' },
          count: { type: 'integer', format: 'int64' },
        },
      },
      {
        type: 'object',
        properties: {
          url: { type: 'string', description: 'The URL (format: uri)' },
          when: { type: 'string', format: 'date-time' },
          count: { type: 'integer', format: 'int64' },
        },
      },
    ],
    [
      'type lists and null alternatives → nullable',
      {
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          c: { type: ['string', 'integer'] },
        },
      },
      {
        type: 'object',
        properties: {
          a: { type: 'string', nullable: true },
          b: { type: 'integer', nullable: true },
          c: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        },
      },
    ],
    [
      '$ref into $defs is inlined; recursion is cut',
      {
        type: 'object',
        $defs: {
          point: { type: 'object', properties: { x: { type: 'number' } } },
          node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } },
        },
        properties: { at: { $ref: '#/$defs/point' }, list: { $ref: '#/$defs/node' } },
      },
      {
        type: 'object',
        properties: {
          at: { type: 'object', properties: { x: { type: 'number' } } },
          list: expect.objectContaining({ type: 'object' }) as unknown as Record<string, unknown>,
        },
      },
    ],
    [
      'non-string enums move into the description',
      { type: 'object', properties: { level: { type: 'integer', enum: [1, 2, 3] } } },
      {
        type: 'object',
        properties: { level: { type: 'integer', description: 'one of: 1, 2, 3' } },
      },
    ],
    [
      'allOf is merged, oneOf treated as anyOf, tuple items use the first',
      {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { oneOf: [{ type: 'string' }, { type: 'number' }] } } },
        ],
        properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }] } },
      },
      {
        type: 'object',
        properties: {
          pair: { type: 'array', items: { type: 'string' } },
          a: { type: 'string' },
          b: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        },
        required: ['a'],
      },
    ],
  ])('%s', (_name, input, expected) => {
    const converted = convertToGeminiSchema(input);
    expect(converted).toEqual(expected);
    if (converted) expect(validateGeminiSchema(converted)).toEqual([]);
  });

  it('makes every Claude Code tool schema acceptable to Gemini', () => {
    let checked = 0;
    for (const fixture of listMessagesFixtures()) {
      const body = readFixtureJSON<{ tools?: Array<{ name: string; input_schema?: unknown }> }>(
        fixture,
      );
      for (const tool of body.tools ?? []) {
        if (!tool.input_schema) continue;
        // The raw schemas are not valid Gemini schemas: the cleanup is what makes them pass.
        const converted = convertToGeminiSchema(tool.input_schema);
        if (converted === undefined) continue;
        expect({ tool: tool.name, problems: validateGeminiSchema(converted) }).toEqual({
          tool: tool.name,
          problems: [],
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the raw Claude Code schemas would be rejected (the validator is not a rubber stamp)', () => {
    const body = readFixtureJSON<{ tools: Array<{ name: string; input_schema: unknown }> }>(
      'cc-tool-read-01-messages.json',
    );
    const read = body.tools.find(tool => tool.name === 'Read')!;
    expect(validateGeminiSchema(read.input_schema)).toEqual(
      expect.arrayContaining([expect.stringContaining('"$schema"')]),
    );
  });
});
