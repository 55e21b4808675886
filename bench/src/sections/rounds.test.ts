import { describe, expect, it } from '@jest/globals';
import { type GatewayComparison, headToHead, medianComparison, spreadOf } from './rounds.js';

function comparison(addedMedianMs: number, requestsPerSecond: number): GatewayComparison {
  return {
    requests: requestsPerSecond,
    errors: 0,
    firstError: null,
    requestsPerSecond,
    medianMs: addedMedianMs + 1,
    p99Ms: addedMedianMs + 2,
    ttfbMedianMs: addedMedianMs + 1,
    ttfbP99Ms: addedMedianMs + 2,
    eventsPerSecond: 0,
    eventsPerResponse: 0,
    addedMedianMs,
    addedP99Ms: addedMedianMs + 1,
    addedTTFBMedianMs: null,
    throughputRatio: requestsPerSecond / 1000,
  };
}

describe('spreadOf', () => {
  it('gives the median round and the extremes, ignoring rounds that measured nothing', () => {
    expect(spreadOf([3, 1, Number.NaN, 2])).toEqual({ median: 2, min: 1, max: 3, rounds: 3 });
    expect(spreadOf([]).rounds).toBe(0);
  });
});

describe('medianComparison', () => {
  it('keeps the median round of each number and the spread of the headline ones', () => {
    const rounds = [comparison(2, 300), comparison(1, 500), comparison(5, 100)];
    rounds[1] = { ...rounds[1]!, errors: 2, firstError: 'HTTP 502' };
    const combined = medianComparison(rounds);
    expect(combined.addedMedianMs).toBe(2);
    expect(combined.requestsPerSecond).toBe(300);
    expect(combined.errors).toBe(2);
    expect(combined.firstError).toBe('HTTP 502');
    expect(combined.spread.addedMedianMs).toEqual({ median: 2, min: 1, max: 5, rounds: 3 });
    expect(combined.spread.requestsPerSecond).toMatchObject({ min: 100, max: 500 });
  });
});

describe('headToHead', () => {
  it('pairs rounds by index, so each ratio compares numbers taken under the same load', () => {
    const conduit = [comparison(1, 400), comparison(2, 200)];
    const ccr = [comparison(4, 100), comparison(2, 200)];
    const versus = headToHead(conduit, ccr);
    expect(versus.addedMedian).toMatchObject({ min: 1, max: 4, rounds: 2 });
    expect(versus.requestsPerSecond).toMatchObject({ min: 1, max: 4, rounds: 2 });
  });

  it('leaves out a round in which Conduit added nothing measurable', () => {
    expect(headToHead([comparison(0, 100)], [comparison(3, 100)]).addedMedian.rounds).toBe(0);
  });
});
