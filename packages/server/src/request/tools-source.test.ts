import { describe, expect, it } from '@jest/globals';
import { TokenCounter, messagesRequestSchema } from '@conduit/core';
import { InboundBody } from './inbound-body.js';
import { inspectJSONText } from './inspect-json-text.js';
import { parseJSONRequest } from './parse-json-request.js';
import {
  validateMessagesRequestFast,
  validateMessagesToolsFast,
} from './validate-messages-request.js';
import {
  internToolsSource,
  rememberToolsSource,
  toolsSourceOf,
  unreadToolsText,
} from './tools-source.js';

describe('inspectJSONText top-level members', () => {
  it('reports each member with the range from after its key to its end', () => {
    const text = '{"model":"m", "tools" : [{"a":{"b":[1,2]}}] ,"x":{"y":"}"}}';
    const members: [string, string][] = [];
    inspectJSONText(text, 16, (key, start, end) => members.push([key, text.slice(start, end)]));
    expect(members).toEqual([
      ['model', ':"m"'],
      ['tools', ' : [{"a":{"b":[1,2]}}] '],
      ['x', ':{"y":"}"}'],
    ]);
  });
});

describe('internToolsSource', () => {
  const tools = `[${'{"name":"Bash","description":"Run a command"},'.repeat(60)}{}]`;

  it('finds one source per distinct text and none for short texts', () => {
    const text = `{"tools":${tools}}`;
    const first = internToolsSource(text, 9, 9 + tools.length);
    const again = internToolsSource(`  ${text}`, 11, 11 + tools.length);
    expect(first?.text).toBe(tools);
    expect(again).toBe(first);
    expect(internToolsSource(text, 0, 100)).toBeUndefined();
    expect(internToolsSource(`${tools} `, 0, tools.length + 1)).not.toBe(first);
  });

  it('derives each value once and links parsed arrays to their source', () => {
    const source = internToolsSource(tools, 0, tools.length)!;
    let made = 0;
    const make = () => ({ made: ++made });
    expect(source.derive('a', make)).toBe(source.derive('a', make));
    expect(made).toBe(1);
    const parsed: unknown[] = [];
    expect(toolsSourceOf(parsed)).toBeUndefined();
    rememberToolsSource(parsed, source);
    expect(toolsSourceOf(parsed)).toBe(source);
  });
});

describe('a request whose tools were seen valid before', () => {
  const tools = Array.from({ length: 40 }, (_, index) => ({
    description: `Tool number ${index} — does things`,
    name: `tool_${index}`,
    input_schema: { type: 'object', properties: { a: { type: 'string' } } },
  }));
  const body = { model: 'm', tools, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
  const parse = (value: unknown) =>
    parseJSONRequest(new InboundBody(Buffer.from(JSON.stringify(value))), messagesRequestSchema, {
      linkToolsSource: true,
      validateTools: tools =>
        validateMessagesToolsFast(tools) ?? messagesRequestSchema.shape.tools.parse(tools),
      validateFast: validateMessagesRequestFast,
    });

  it('parses them on first read, as a value of its own, in the same place among the keys', () => {
    const first = parse(body);
    const second = parse(body);
    const reference = messagesRequestSchema.parse(body);
    expect(Object.getOwnPropertyDescriptor(second, 'tools')?.get).toBeDefined();
    expect(JSON.stringify(second)).toBe(JSON.stringify(reference));
    expect(second.tools).toEqual(reference.tools);
    expect(Object.getOwnPropertyDescriptor(second, 'tools')?.value).toBe(second.tools);
    second.tools?.push({ name: 'added' });
    expect(parse(body).tools).toEqual(first.tools);
    const third = parse(body);
    third.tools = [];
    expect(third.tools).toEqual([]);
    expect(Object.keys(third)).toEqual(Object.keys(reference));
  });

  it('gives the token counter their text while they are unread, so a repeat is not parsed', () => {
    parse(body);
    const counter = new TokenCounter({ toolsTextOf: unreadToolsText });
    const expected = new TokenCounter().countRequest(messagesRequestSchema.parse(body));
    const unread = parse(body);
    expect(unreadToolsText(unread)).toBe(toolsSourceOf(unread)?.text);
    expect(counter.countRequest(unread)).toBe(expected);
    // Counted once from the tools themselves: read now, they have no text any more.
    expect(unreadToolsText(unread)).toBeUndefined();
    const repeat = parse(body);
    expect(counter.countRequest(repeat)).toBe(expected);
    expect(Object.getOwnPropertyDescriptor(repeat, 'tools')?.get).toBeDefined();
    const replaced = parse(body);
    replaced.tools = [];
    expect(unreadToolsText(replaced)).toBeUndefined();
    expect(counter.countRequest(replaced)).toBe(
      new TokenCounter().countRequest({ ...messagesRequestSchema.parse(body), tools: [] }),
    );
    expect(unreadToolsText(messagesRequestSchema.parse(body))).toBeUndefined();
  });

  it('reports the rest of an invalid request as a full parse does', () => {
    parse(body);
    const invalid = { ...body, max_tokens: 0, messages: [{ role: 'robot', content: 'hi' }] };
    expect(() => parse(invalid)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('(and 1 more problem)') }),
    );
    let fresh: unknown;
    try {
      parseJSONRequest(JSON.stringify(invalid), messagesRequestSchema);
    } catch (error) {
      fresh = (error as Error).message;
    }
    expect(() => parse(invalid)).toThrow(fresh as string);
  });
});
