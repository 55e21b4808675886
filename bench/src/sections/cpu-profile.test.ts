import { describe, expect, it } from '@jest/globals';
import { type CPUProfile, summarizeCPUProfile } from './cpu-profile.js';

const profile: CPUProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
    { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    {
      id: 3,
      callFrame: { functionName: 'countTokens', url: 'file:///x/chunk-A.js', lineNumber: 9 },
    },
    { id: 4, callFrame: { functionName: '', url: 'file:///x/chunk-B.js', lineNumber: 0 } },
    {
      id: 5,
      callFrame: { functionName: 'countTokens', url: 'file:///x/chunk-A.js', lineNumber: 9 },
    },
  ],
  samples: [2, 3, 4, 5, 2, 3],
  timeDeltas: [5000, 1000, 500, 1000, 5000, 500],
};

describe('summarizeCPUProfile', () => {
  it('ranks self time by function, merges equal frames and leaves idle out', () => {
    expect(summarizeCPUProfile(profile, 10)).toEqual([
      { function: 'countTokens (chunk-A.js:10)', selfMs: 2.5, selfPercent: (2500 / 3000) * 100 },
      { function: '(anonymous) (chunk-B.js:1)', selfMs: 0.5, selfPercent: (500 / 3000) * 100 },
    ]);
  });

  it('keeps only the top entries', () => {
    expect(summarizeCPUProfile(profile, 1)).toHaveLength(1);
  });
});
