import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import bundledRanks from 'gpt-tokenizer/bpeRanks/cl100k_base';
import { getCl100kEncoder, loadCl100kEncoder, parseTiktokenRanks } from './cl100k-encoder.js';

const requireFromHere = createRequire(import.meta.url);

describe('the cl100k_base encoder read from the tiktoken file', () => {
  it('builds the same rank table as gpt-tokenizer bundles as JavaScript', () => {
    const table = readFileSync(requireFromHere.resolve('gpt-tokenizer/data/cl100k_base.tiktoken'));
    const ranks = parseTiktokenRanks(table);
    const expected = bundledRanks as unknown as Array<string | number[]>;
    expect(ranks.length).toBe(expected.length);
    const differences = ranks.filter(
      (value, rank) => JSON.stringify(value) !== JSON.stringify(expected[rank]),
    );
    expect(differences).toEqual([]);
  });

  it('keeps unused ranks as empty strings and bytes that are not UTF-8 as byte arrays', () => {
    const table = Buffer.from('IQ== 0\n/w== 2\n4oCU 3\n');
    expect(parseTiktokenRanks(table)).toEqual(['!', '', [255], '—']);
  });

  it('loads synchronously on first use and counts like tiktoken', async () => {
    const encoder = getCl100kEncoder();
    expect(encoder).toBeDefined();
    expect(await loadCl100kEncoder()).toBe(encoder);
    expect(encoder?.countTokens('hello world', { disallowedSpecial: new Set() })).toBe(2);
  });
});
