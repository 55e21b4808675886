import { describe, expect, it } from '@jest/globals';
import { RecentCounts, minRecentTextLength } from './recent-counts.js';
import { TokenCounter } from './token-counter.js';

describe('RecentCounts', () => {
  it('finds a text equal to the one kept at its length, and no other', () => {
    const recent = new RecentCounts();
    const text = 'a'.repeat(minRecentTextLength);
    recent.set(text, 1);
    expect(recent.get(`${'a'.repeat(minRecentTextLength - 1)}a`)).toBe(1);
    expect(recent.get(`${'a'.repeat(minRecentTextLength - 1)}b`)).toBeUndefined();
    expect(recent.get(`${text}a`)).toBeUndefined();
    recent.clear();
    expect(recent.get(text)).toBeUndefined();
  });
});

describe('TokenCounter on long texts of the same length', () => {
  it('counts each one, resent as new strings, as a fresh counter does', () => {
    const prose = (word: string) => `${word} `.repeat(1000).slice(0, 2000);
    const texts = [prose('a'), prose('hello'), prose('ab'), prose('a'), prose('hello')];
    expect(new Set(texts.map(text => text.length))).toEqual(new Set([2000]));
    const counter = new TokenCounter();
    for (const round of [1, 2, 3]) {
      for (const text of texts) {
        const copy = Buffer.from(text).toString();
        const expected = new TokenCounter().countText(text);
        expect([round, counter.countText(copy)]).toEqual([round, expected]);
        expect(counter.countRequest({ system: copy })).toBe(expected);
      }
    }
  });
});
