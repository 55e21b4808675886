import { describe, expect, it } from '@jest/globals';
import {
  listClaudeCodeRequestFixtures,
  readClaudeCodeFixture,
} from '../test-claude-code-fixtures.js';
import { jsonTextEquals } from './json-text-equals.js';
import { seededRandom } from '../test-seeded-random.js';

const characters = [
  ...'abcXYZ019 _-:/.',
  '"',
  '\\',
  '\b',
  '\f',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  'é',
  '中',
  '😀',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
];

function randomString(random: () => number): string {
  let text = '';
  const length = Math.floor(random() * 12);
  for (let index = 0; index < length; index++) {
    text += characters[Math.floor(random() * characters.length)];
  }
  return text;
}

const numbers = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012, Number.NaN, Number.POSITIVE_INFINITY];

function randomValue(random: () => number, depth: number): unknown {
  const roll = random();
  if (depth > 3 || roll < 0.3) {
    const leaf = Math.floor(random() * 7);
    if (leaf === 0) return null;
    if (leaf === 1) return random() < 0.5;
    if (leaf === 2) return numbers[Math.floor(random() * numbers.length)];
    if (leaf === 3) return undefined;
    return randomString(random);
  }
  if (roll < 0.6) {
    return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
  }
  const object: Record<string, unknown> = {};
  const keys = Math.floor(random() * 5);
  for (let index = 0; index < keys; index++) {
    const key = random() < 0.2 ? String(Math.floor(random() * 10)) : randomString(random);
    object[key] = random() < 0.05 ? () => 1 : randomValue(random, depth + 1);
  }
  return object;
}

describe('jsonTextEquals', () => {
  it('agrees with JSON.stringify on random values, and on their texts changed by one character', () => {
    const random = seededRandom(2026);
    const disagreements: string[] = [];
    for (let sample = 0; sample < 3000; sample++) {
      const value = randomValue(random, 0);
      const text = JSON.stringify(value);
      if (text === undefined) continue;
      if (!jsonTextEquals(value, text)) disagreements.push(text);
      const at = Math.floor(random() * text.length);
      const changed = `${text.slice(0, at)}${random() < 0.5 ? '' : 'x'}${text.slice(at + 1)}`;
      if (jsonTextEquals(value, changed) !== (changed === text)) disagreements.push(changed);
      if (jsonTextEquals(value, `${text} `) || jsonTextEquals(value, text.slice(0, -1))) {
        disagreements.push(text);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('leaves values with toJSON, class instances and BigInts to JSON.stringify', () => {
    const date = new Date(0);
    expect(jsonTextEquals(date, JSON.stringify(date))).toBe(false);
    expect(jsonTextEquals({ toJSON: () => 1 }, '1')).toBe(false);
    expect(jsonTextEquals(new Map(), '{}')).toBe(false);
    expect(jsonTextEquals({ size: 1n }, '{"size":1}')).toBe(false);
    expect(jsonTextEquals(undefined, '')).toBe(false);
  });

  it('matches every schema, tool input and tool result of the Claude Code fixtures', () => {
    const values: unknown[] = [];
    for (const name of listClaudeCodeRequestFixtures()) {
      const request = readClaudeCodeFixture(name);
      for (const tool of request.tools ?? []) values.push(tool.input_schema);
      for (const message of request.messages ?? []) {
        if (!Array.isArray(message.content)) continue;
        for (const block of message.content) values.push(block.input ?? block.content);
      }
    }
    const mismatched = values.filter(
      value => value !== undefined && !jsonTextEquals(value, JSON.stringify(value)),
    );
    expect(values.length).toBeGreaterThan(100);
    expect(mismatched).toEqual([]);
  });
});
