import { describe, expect, it } from '@jest/globals';
import { computeRetryDelay } from './backoff.js';

const settings = { baseDelayMs: 250, maxDelayMs: 8000 };

describe('computeRetryDelay', () => {
  it('draws full jitter under an exponentially growing ceiling', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map(retryNumber =>
      computeRetryDelay({ retryNumber, settings, random: () => 0.999999 }),
    );
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 7999]);
    expect(computeRetryDelay({ retryNumber: 3, settings, random: () => 0 })).toBe(0);
    expect(computeRetryDelay({ retryNumber: 3, settings, random: () => 0.5 })).toBe(500);
  });

  it('honours retry-after exactly, capped by maxDelayMs', () => {
    expect(computeRetryDelay({ retryNumber: 1, settings, retryAfterMs: 3000 })).toBe(3000);
    expect(computeRetryDelay({ retryNumber: 1, settings, retryAfterMs: 0 })).toBe(0);
    expect(computeRetryDelay({ retryNumber: 1, settings, retryAfterMs: 120_000 })).toBe(8000);
  });

  it('stays finite for huge retry numbers and rejects nonsense', () => {
    expect(computeRetryDelay({ retryNumber: 500, settings, random: () => 0.5 })).toBe(4000);
    expect(() => computeRetryDelay({ retryNumber: 0, settings })).toThrow(RangeError);
  });
});
