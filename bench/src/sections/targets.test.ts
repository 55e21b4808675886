import { describe, expect, it } from '@jest/globals';
import { checkTarget } from './targets.js';

const base = { target: 't', threshold: 3, unit: 'ms', source: 's' };

describe('checkTarget', () => {
  it.each([
    ['<', 2, true],
    ['<', 3, false],
    ['>=', 3, true],
    ['>=', 2.9, false],
  ] as const)('%s 3 with %d → %s', (comparison, measured, met) => {
    expect(checkTarget({ ...base, comparison, measured }).met).toBe(met);
  });

  it('reports an unmeasured number as not applicable', () => {
    expect(checkTarget({ ...base, comparison: '<', measured: null })).toMatchObject({
      measured: null,
      met: null,
    });
    expect(checkTarget({ ...base, comparison: '<', measured: Number.NaN }).met).toBeNull();
  });
});
