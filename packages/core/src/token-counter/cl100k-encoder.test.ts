import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import bundledRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import { CL100K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/encodingParams/constants';
import { countTokens as gptTokenizerCount } from 'gpt-tokenizer/encoding/cl100k_base';
import {
  claudeCodeFixturesDirectory,
  listClaudeCodeRequestFixtures,
} from '../test-claude-code-fixtures.js';
import { getCl100kEncoder, loadCl100kEncoder } from './cl100k-encoder.js';
import { cl100kSplitPattern, createCompactCl100kEncoder } from './compact-cl100k-encoder.js';
import { parseCompactRankTable } from './compact-rank-table.js';
import { seededRandom } from '../test-seeded-random.js';

const requireFromHere = createRequire(import.meta.url);
const tiktokenFile = readFileSync(
  requireFromHere.resolve('gpt-tokenizer/data/cl100k_base.tiktoken'),
);
const table = parseCompactRankTable(tiktokenFile);
const encoder = createCompactCl100kEncoder(table);
const ordinary = { disallowedSpecial: new Set<string>() };
const expectedCount = (text: string) => gptTokenizerCount(text, ordinary);

const alphabet = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...' \t\n\r  ',
  ...`'"!?.,;:-_()[]{}<>/\\|@#$%^&*+=~\``,
  "'s",
  "'LL",
  'é',
  'ß',
  'ñ',
  '中',
  '文',
  '日本',
  'ё',
  'Ж',
  'α',
  '٣',
  '😀',
  '👍🏽',
  '\u{1F600}',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '\uDC00',
  '\u0301',
  '\u00A0',
  '<|endoftext|>',
  '<|fim_prefix|>',
  '    ',
  '\n\n',
  'function',
  ' the',
  'tokenizer',
];

function randomText(random: () => number, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) {
    const roll = random();
    text +=
      roll < 0.05
        ? String.fromCodePoint(Math.floor(random() * 0x30000))
        : alphabet[Math.floor(random() * alphabet.length)];
  }
  return text;
}

describe('the compact cl100k_base rank table', () => {
  it('ranks every token gpt-tokenizer bundles as JavaScript the same', () => {
    const expected = bundledRanks as unknown as Array<string | number[]>;
    const differences: number[] = [];
    const encode = new TextEncoder();
    expected.forEach((value, rank) => {
      if (value === '') return;
      const bytes = typeof value === 'string' ? encode.encode(value) : Uint8Array.from(value);
      if (table.rankOf(bytes, 0, bytes.length) !== rank) differences.push(rank);
    });
    expect(differences).toEqual([]);
    expect(table.size).toBe(expected.filter(value => value !== '').length);
    expect(table.emptyRank).toBe(-1);
  });

  it('keeps unused ranks out and bytes that are not UTF-8 in; the later line wins', () => {
    const small = parseCompactRankTable(Buffer.from('IQ== 0\n/w== 2\n4oCU 3\nIQ== 4\n'));
    const rank = (bytes: number[]) => small.rankOf(Uint8Array.from(bytes), 0, bytes.length);
    expect(rank([0x21])).toBe(4);
    expect(rank([0xff])).toBe(2);
    expect(rank([0xe2, 0x80, 0x94])).toBe(3);
    expect(rank([0x22])).toBe(-1);
    expect(small.emptyRank).toBe(1);
  });
});

describe('the compact cl100k_base encoder', () => {
  it('splits text with gpt-tokenizer’s cl100k pattern', () => {
    expect(cl100kSplitPattern).toBe(CL100K_TOKEN_SPLIT_REGEX.source);
  });

  it('counts random text exactly as gpt-tokenizer does', () => {
    const random = seededRandom(20);
    const mismatches: string[] = [];
    for (let sample = 0; sample < 3000; sample++) {
      const text = randomText(random, 1 + Math.floor(random() * 60));
      if (encoder.countTokens(text) !== expectedCount(text)) mismatches.push(text);
    }
    expect(mismatches).toEqual([]);
  });

  it('counts long unbroken runs and byte order marks exactly as gpt-tokenizer does', () => {
    const texts = [
      'a'.repeat(300),
      'ab1'.repeat(200),
      '\uFEFF'.repeat(7),
      '\uFEFFhello \uFEFF\uFEFFworld',
      'x\uFEFF\uFEFF\uFEFFy',
      '!\uFEFF?',
      ' \uFEFF',
      '\uD83D'.repeat(5),
      '😀'.repeat(40),
      '—'.repeat(90),
      'ÿ'.repeat(50),
    ];
    for (const text of texts)
      expect([text, encoder.countTokens(text)]).toEqual([text, expectedCount(text)]);
  });

  it('counts every Claude Code fixture exactly as gpt-tokenizer does', () => {
    for (const name of listClaudeCodeRequestFixtures()) {
      const text = readFileSync(join(claudeCodeFixturesDirectory, name), 'utf8');
      expect([name, encoder.countTokens(text)]).toEqual([name, expectedCount(text)]);
    }
  });
});

describe('the cl100k_base encoder read from the tiktoken file', () => {
  it('loads synchronously on first use and counts like tiktoken', async () => {
    const loaded = getCl100kEncoder();
    expect(loaded).toBeDefined();
    expect(await loadCl100kEncoder()).toBe(loaded);
    expect(loaded?.countTokens('hello world', ordinary)).toBe(2);
  });
});
