import { describe, expect, it } from '@jest/globals';
import { createRequestId } from './request-id.js';

describe('createRequestId', () => {
  it('is req_, 12 hex digits of the arrival millisecond, then 20 random hex digits', () => {
    const before = Date.now();
    const id = createRequestId();
    const after = Date.now();
    expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    const millisecond = Number.parseInt(id.slice(4, 16), 16);
    expect(millisecond).toBeGreaterThanOrEqual(before);
    expect(millisecond).toBeLessThanOrEqual(after);
  });

  it('gives distinct, time-ordered ids across refills of its random pool', () => {
    const ids = Array.from({ length: 1000 }, () => createRequestId());
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map(id => id.slice(16))).size).toBe(ids.length);
    const times = ids.map(id => id.slice(4, 16));
    expect([...times].sort()).toEqual(times);
  });
});
