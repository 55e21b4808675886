import { afterAll, describe, expect, it } from '@jest/globals';
import { get_encoding } from 'tiktoken';
import {
  listClaudeCodeRequestFixtures,
  readClaudeCodeFixture,
} from '../test-claude-code-fixtures.js';
import { splitLongRuns } from './split-long-runs.js';
import { getDefaultTokenCounter, TokenCounter } from './token-counter.js';

/** claude-code-router's calculateTokenCount, transcribed literally (no cache, no splitting). */
const referenceEncoder = get_encoding('cl100k_base');
afterAll(() => referenceEncoder.free());

// biome-ignore lint/suspicious/noExplicitAny: a literal transcription of CCR's untyped JavaScript
function referenceCount(request: { messages?: any[]; system?: any; tools?: any[] }): number {
  const encoder = referenceEncoder;
  const count = (text: string) => encoder.encode_ordinary(text).length;
  let total = 0;
  for (const message of request.messages ?? []) {
    if (typeof message.content === 'string') total += count(message.content);
    else if (Array.isArray(message.content)) {
      for (const part of message.content) {
        if (part.type === 'text') total += count(part.text);
        else if (part.type === 'tool_use') total += count(JSON.stringify(part.input));
        else if (part.type === 'tool_result') {
          total += count(
            typeof part.content === 'string' ? part.content : JSON.stringify(part.content),
          );
        }
      }
    }
  }
  if (typeof request.system === 'string') total += count(request.system);
  else if (Array.isArray(request.system)) {
    for (const item of request.system) if (item.type === 'text') total += count(item.text);
  }
  for (const tool of request.tools ?? []) {
    if (tool.description) total += count(tool.name + tool.description);
    if (tool.input_schema) total += count(JSON.stringify(tool.input_schema));
  }
  return total;
}

describe('TokenCounter on the Claude Code fixtures', () => {
  const fixtures = listClaudeCodeRequestFixtures();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures)('%s counts exactly what claude-code-router counts', name => {
    const request = readClaudeCodeFixture(name);
    const counter = new TokenCounter();
    const expected = referenceCount(request);
    expect(counter.countRequest(request)).toBe(expected);
    // Warm: same answer from the cache.
    expect(counter.countRequest(readClaudeCodeFixture(name))).toBe(expected);
  });

  it('counts cc-hi-01 (system blocks, 24 tools, mid-conversation system message)', () => {
    const request = readClaudeCodeFixture('cc-hi-01-messages.json');
    expect(new TokenCounter().countRequest(request)).toBe(16749);
    const withoutSystemMessage = {
      ...request,
      messages: request.messages.filter((message: { role: string }) => message.role !== 'system'),
    };
    expect(new TokenCounter().countRequest(withoutSystemMessage)).toBeLessThan(16749);
  });

  it('counts a tool as name + description, also when tools share a description', () => {
    const counter = new TokenCounter({ minCachedLength: 1 });
    const description = ' reads a file from the local filesystem and returns its content';
    const tool = (name: string) => ({ name, description, input_schema: { type: 'object' } });
    const schemaTokens = counter.countText('{"type":"object"}');
    for (const name of ['Read', 'ReadFile', 'Read', '', 'Write']) {
      const expected = new TokenCounter().countText(name + description) + schemaTokens;
      expect([name, counter.countRequest({ tools: [tool(name)] })]).toEqual([name, expected]);
    }
    expect(counter.countRequest({ tools: [tool('Read'), tool('Write')] })).toBe(
      new TokenCounter().countText(`Read${description}`) +
        new TokenCounter().countText(`Write${description}`) +
        2 * schemaTokens,
    );
  });

  it('counts a changed schema or tool input again, not the text counted for it before', () => {
    const counter = new TokenCounter({ minCachedLength: 1 });
    const request = (schema: unknown, input: unknown) => ({
      tools: [{ name: 'Read', description: ' reads a file', input_schema: schema }],
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', input }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [input] }],
        },
      ],
    });
    const variants: Array<[unknown, unknown]> = [
      [{ type: 'object' }, { path: '/a' }],
      [{ type: 'object' }, { path: '/a' }],
      [{ type: 'object', required: ['path'] }, { path: '/a/b/c/d' }],
      [{ type: 'object' }, { path: '/a', limit: 10 }],
      [{ type: 'object' }, { path: '/a' }],
    ];
    for (const [schema, input] of variants) {
      const expected = new TokenCounter().countRequest(request(schema, input));
      expect(counter.countRequest(request(schema, input))).toBe(expected);
    }
  });

  it('serves a repeated request from the cache: tools and system are encoded once', () => {
    const counter = new TokenCounter();
    counter.countRequest(readClaudeCodeFixture('cc-tool-bash-01-messages.json'));
    const afterFirst = counter.getCacheStats();
    // The next turn re-sends the same tools and system plus new messages.
    const next = readClaudeCodeFixture('cc-tool-bash-02-messages.json');
    counter.countRequest(next);
    const afterSecond = counter.getCacheStats();
    const newMisses = afterSecond.misses - afterFirst.misses;
    expect(afterSecond.hits - afterFirst.hits).toBeGreaterThanOrEqual(40);
    expect(newMisses).toBeLessThanOrEqual(4);
  });
});

describe('TokenCounter basics', () => {
  const counter = new TokenCounter();

  it.each([
    ['', 0],
    ['hello', 1],
    ['hello world', 2],
    ['<|endoftext|>', 7],
  ])('countText(%j) = %d', (text, expected) => {
    expect(counter.countText(text)).toBe(expected);
  });

  it('tolerates malformed requests', () => {
    expect(counter.countRequest({})).toBe(0);
    expect(counter.countRequest(null as never)).toBe(0);
    expect(
      counter.countRequest({
        messages: [
          null,
          { role: 'user' },
          {
            role: 'user',
            content: [
              null,
              { type: 'text' },
              { type: 'tool_use' },
              { type: 'tool_result' },
              { type: 'image', source: {} },
            ],
          },
          { role: 'system', content: 'hello' },
        ],
        system: [{ type: 'text', text: ['a', 'b', 3] }, { type: 'image' }, 'x'],
        tools: [null, { name: 'n' }, { name: 'n', description: 'd' }],
      }),
    ).toBe(1 + 1 + 1 + 1);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(
      counter.countRequest({
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', input: circular }] }],
      }),
    ).toBe(0);
  });

  it('bounds the cache by size and evicts least recently used texts', () => {
    const small = new TokenCounter({ cacheMaxChars: 1000 });
    for (let index = 0; index < 50; index++)
      small.countText(`${index} ${'lorem ipsum dolor sit amet '.repeat(3)}`);
    const stats = small.getCacheStats();
    expect(stats.size).toBeLessThanOrEqual(1000);
    expect(stats.entries).toBeLessThan(50);
    small.clearCache();
    expect(small.getCacheStats()).toEqual({ entries: 0, size: 0, hits: 0, misses: 0 });
  });

  it('getDefaultTokenCounter returns one shared instance', () => {
    expect(getDefaultTokenCounter()).toBe(getDefaultTokenCounter());
  });

  it('estimates text past the per-call work budget instead of encoding it, and does not cache estimates', () => {
    const bounded = new TokenCounter({ maxEncodedCharsPerCall: 1000 });
    const text = 'word '.repeat(1000);
    const count = bounded.countText(text);
    expect(count).toBeGreaterThan(800);
    expect(count).toBeLessThan(1500);
    expect(bounded.getCacheStats().entries).toBe(0);
  });
});

describe('TokenCounter on hostile input stays linear', () => {
  // Generous bounds: a naive BPE needs ~20 s (100k "a") and >45 s (200k "é") here.
  const hostile: Array<[string, string]> = [
    ['100k repeats of one character', 'a'.repeat(100_000)],
    ['200k "é"', 'é'.repeat(200_000)],
    ['200k whitespace', ' '.repeat(100_000) + '\n'.repeat(100_000)],
    ['100k punctuation', '!'.repeat(100_000)],
    [
      'letters-only base64 with no spaces',
      Buffer.alloc(150_000, 'QUJD')
        .toString('base64')
        .replace(/[^A-Za-z]/g, ''),
    ],
    ['a 50k-character CJK paragraph', '漢字'.repeat(25_000)],
    ['300k emoji', '😀'.repeat(150_000)],
  ];

  it.each(hostile)('%s', (_name, text) => {
    const counter = new TokenCounter();
    const started = performance.now();
    const count = counter.countText(text);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2000);
    expect(count).toBeGreaterThan(0);
    // Roughly proportional: between 1 token per 64 characters and 2 tokens per character.
    expect(count).toBeGreaterThan(text.length / 64);
    expect(count).toBeLessThan(text.length * 2);
    // Doubling the input roughly doubles the count (no pathological cut-off).
    const doubled = new TokenCounter().countText(text + text);
    expect(doubled / count).toBeGreaterThan(1.8);
    expect(doubled / count).toBeLessThan(2.2);
  });

  it('a hostile tool_result inside a request is bounded too', () => {
    const counter = new TokenCounter();
    const started = performance.now();
    const count = counter.countRequest({
      messages: [
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: 'x'.repeat(300_000) }],
        },
      ],
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(count).toBeGreaterThan(300_000 / 64);
  });

  it('does not split ordinary text, so counts stay exact', () => {
    const prose = readClaudeCodeFixture('cc-hi-01-messages.json').system[2].text as string;
    expect(splitLongRuns(prose)).toBeNull();
    expect(splitLongRuns('x'.repeat(129))).toEqual(['x'.repeat(128), 'x']);
    // Surrogate pairs are never cut in half.
    const pieces = splitLongRuns('😀'.repeat(200)) ?? [];
    expect(pieces.join('')).toBe('😀'.repeat(200));
    expect(pieces.every(piece => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece))).toBe(true);
  });
});
