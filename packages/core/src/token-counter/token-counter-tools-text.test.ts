import { describe, expect, it } from '@jest/globals';
import {
  listClaudeCodeRequestFixtures,
  readClaudeCodeFixture,
} from '../test-claude-code-fixtures.js';
import { TokenCounter, type ToolsTextOf } from './token-counter.js';

/**
 * A request as the gateway hands it over: `tools` parsed from their text on first read (then a
 * plain value), and the text known while they are unread. `reads` counts the parses.
 */
function lazyToolsRequest(name: string, reads: { count: number }) {
  const request = readClaudeCodeFixture(name);
  if (!Array.isArray(request.tools)) return request;
  const text = JSON.stringify(request.tools);
  const settle = (tools: unknown) =>
    Object.defineProperty(request, 'tools', { value: tools, writable: true, enumerable: true });
  const get = () => {
    reads.count++;
    const tools = JSON.parse(text);
    settle(tools);
    return tools;
  };
  Object.defineProperty(request, 'tools', {
    get,
    set: settle,
    enumerable: true,
    configurable: true,
  });
  unreadTexts.set(request, { text, get });
  return request;
}

const unreadTexts = new WeakMap<object, { text: string; get: () => unknown }>();
const unreadToolsText: ToolsTextOf = request => {
  const unread = unreadTexts.get(request);
  return Object.getOwnPropertyDescriptor(request, 'tools')?.get === unread?.get
    ? unread?.text
    : undefined;
};

const fixtures = listClaudeCodeRequestFixtures();
const withTools = fixtures.filter(name => Array.isArray(readClaudeCodeFixture(name).tools));

describe('TokenCounter with toolsTextOf (the tools counted once per text)', () => {
  it('has Claude Code fixtures with tools', () => {
    expect(withTools.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures)('%s counts the same as without it, cold and warm', name => {
    const expected = new TokenCounter().countRequest(readClaudeCodeFixture(name));
    const counter = new TokenCounter({ toolsTextOf: unreadToolsText });
    const reads = { count: 0 };
    expect(counter.countRequest(lazyToolsRequest(name, reads))).toBe(expected);
    expect(counter.countRequest(lazyToolsRequest(name, reads))).toBe(expected);
    expect(counter.countRequest(readClaudeCodeFixture(name))).toBe(expected);
    // The first count read the tools; the repeat request's were never parsed.
    expect(reads.count).toBe(Array.isArray(readClaudeCodeFixture(name).tools) ? 1 : 0);
  });

  it('counts every fixture the same through one warm counter, tool sets interleaved', () => {
    const counter = new TokenCounter({ toolsTextOf: unreadToolsText });
    const reads = { count: 0 };
    for (const round of [1, 2]) {
      for (const name of fixtures) {
        const expected = new TokenCounter().countRequest(readClaudeCodeFixture(name));
        expect([round, name, counter.countRequest(lazyToolsRequest(name, reads))]).toEqual([
          round,
          name,
          expected,
        ]);
      }
    }
    const distinctTools = new Set(
      withTools.map(name => JSON.stringify(readClaudeCodeFixture(name).tools)),
    );
    expect(reads.count).toBe(distinctTools.size);
  });

  it('reads tools that were read or replaced before, and counts what they are now', () => {
    const counter = new TokenCounter({ toolsTextOf: unreadToolsText });
    const reads = { count: 0 };
    const name = withTools[0]!;
    counter.countRequest(lazyToolsRequest(name, reads));
    const edited = lazyToolsRequest(name, reads);
    edited.tools.pop();
    const expected = new TokenCounter().countRequest({ ...edited });
    expect(counter.countRequest(edited)).toBe(expected);
    const replaced = lazyToolsRequest(name, reads);
    replaced.tools = [];
    expect(counter.countRequest(replaced)).toBe(
      new TokenCounter().countRequest({ ...replaced, tools: [] }),
    );
  });

  it('keeps no estimate: tools counted past the work budget are counted again', () => {
    const name = withTools[0]!;
    const options = { maxEncodedCharsPerCall: 1000 };
    const counter = new TokenCounter({ ...options, toolsTextOf: unreadToolsText });
    const without = new TokenCounter(options);
    const reads = { count: 0 };
    for (let turn = 0; turn < 3; turn++) {
      expect(counter.countRequest(lazyToolsRequest(name, reads))).toBe(
        without.countRequest(readClaudeCodeFixture(name)),
      );
    }
    expect(reads.count).toBe(3);
  });

  it('is forgotten with the cache', () => {
    const counter = new TokenCounter({ toolsTextOf: unreadToolsText });
    const reads = { count: 0 };
    const name = withTools[0]!;
    counter.countRequest(lazyToolsRequest(name, reads));
    counter.clearCache();
    counter.countRequest(lazyToolsRequest(name, reads));
    expect(reads.count).toBe(2);
  });
});
