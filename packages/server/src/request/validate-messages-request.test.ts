import { describe, expect, it } from '@jest/globals';
import { messagesRequestSchema } from '@conduit/core';
import { listMessagesFixtures, readFixtureText } from '@conduit/test-utils';
import fc from 'fast-check';
import { messagesBody } from '../fuzz/test-messages-arbitraries.js';
import { validateMessagesRequestFast } from './validate-messages-request.js';

/** Serialized with every object's keys in order, so key order counts in the comparison. */
const text = (value: unknown) => JSON.stringify(value);

/** The fast check must give zod's result exactly, or nothing (then zod decides). */
function expectSameAsZod(value: unknown): 'fast' | 'zod' {
  const fast = validateMessagesRequestFast(value as object);
  const reference = messagesRequestSchema.safeParse(value);
  if (fast === undefined) return 'zod';
  expect(reference.success).toBe(true);
  expect(text(fast)).toBe(text(reference.data));
  expect(fast).toEqual(reference.data);
  return 'fast';
}

describe('validateMessagesRequestFast', () => {
  it('gives what zod gives on every Claude Code request fixture', () => {
    const fixtures = listMessagesFixtures();
    expect(fixtures.length).toBeGreaterThan(10);
    const paths = fixtures.map(name => expectSameAsZod(JSON.parse(readFixtureText(name))));
    // The real requests (text, tool_use, tool_result, thinking blocks) take the fast path.
    expect(paths.filter(path => path === 'fast').length).toBeGreaterThan(fixtures.length / 2);
  });

  it('gives what zod gives, or leaves it to zod, on generated bodies (JSON round trip)', () => {
    fc.assert(
      fc.property(messagesBody, body => {
        expectSameAsZod(JSON.parse(JSON.stringify(body)));
      }),
      { numRuns: 3000 },
    );
  });

  it.each<[string, unknown]>([
    ['keys in another order', { max_tokens: 5, extra: 1, messages: [], model: 'm' }],
    [
      'blocks with unknown members',
      {
        model: 'm',
        max_tokens: 1,
        system: [
          { cache_control: { ttl: '1h', type: 'ephemeral' }, text: 's', type: 'text', x: 1 },
        ],
        messages: [
          {
            content: [
              { text: 'a', type: 'text', cache_control: null },
              { type: 'tool_use', id: 'i', name: 'n', input: null },
              { type: 'tool_result', tool_use_id: 'i', content: [{ type: 'document', z: 1 }] },
              { type: 'server_tool_use', anything: [1] },
            ],
            role: 'assistant',
            note: 'kept',
          },
        ],
        tools: [{ description: 'd', name: 't', input_schema: { type: 'object', '1': 2 }, y: 2 }],
        tool_choice: { name: 't', type: 'tool', disable_parallel_tool_use: true },
        thinking: { budget_tokens: 0, type: 'enabled' },
        metadata: { a: 1, user_id: null },
        stop_sequences: ['x'],
        stream: false,
        temperature: 0,
        top_p: 1,
        top_k: 3,
      },
    ],
    [
      'an own __proto__ key (left to zod)',
      JSON.parse('{"model":"m","max_tokens":1,"messages":[],"__proto__":{"a":1}}'),
    ],
    [
      'an image block (left to zod)',
      {
        model: 'm',
        max_tokens: 1,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'u' } }] },
        ],
      },
    ],
    ['a null optional field', { model: 'm', max_tokens: 1, messages: [], temperature: null }],
    [
      'a tool_use block without input',
      {
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'i', name: 'n' }] }],
      },
    ],
    ['an empty model', { model: '', max_tokens: 1, messages: [] }],
    ['a fractional max_tokens', { model: 'm', max_tokens: 1.5, messages: [] }],
    [
      'a text block without text',
      { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text' }] }] },
    ],
    [
      'a tool result text part without text',
      {
        model: 'm',
        max_tokens: 1,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'i', content: [{ type: 'text' }] }],
          },
        ],
      },
    ],
    [
      'a tool input_schema array',
      { model: 'm', max_tokens: 1, messages: [], tools: [{ name: 't', input_schema: [] }] },
    ],
  ])('agrees with zod: %s', (_name, value) => {
    expectSameAsZod(value);
  });
});
