import { describe, expect, it } from '@jest/globals';
import { inspectJSONText } from './inspect-json-text.js';
import { internToolsSource, rememberToolsSource, toolsSourceOf } from './tools-source.js';

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
