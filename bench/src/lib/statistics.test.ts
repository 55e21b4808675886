import { describe, expect, it } from '@jest/globals';
import { median, percentile, ratio, summarize } from './statistics.js';

describe('statistics', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[5], 5],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('uses nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => percentile([1, 2], 99)).toThrow(RangeError);
  });

  it('summarizes without mutating its input', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({ count: 5, median: 3, p99: 5, mean: 3, min: 1, max: 5 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('reports NaN for an empty sample instead of throwing', () => {
    expect(summarize([]).count).toBe(0);
    expect(summarize([]).median).toBeNaN();
    expect(median([])).toBeNaN();
  });

  it('gives null for meaningless ratios', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(10, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
    expect(ratio(1, Number.NaN)).toBeNull();
  });
});
