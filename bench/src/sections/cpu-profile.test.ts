import { describe, expect, it } from '@jest/globals';
import { type CPUProfile, groupCPUProfile, summarizeCPUProfile } from './cpu-profile.js';

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

describe('a timed profile', () => {
  const timed: CPUProfile = { ...profile, startTime: 1_000_000 };
  // Sample clocks: 1_005_000, 1_006_000, 1_006_500, 1_007_500, 1_012_500, 1_013_000.

  it('counts only the samples inside the window', () => {
    expect(
      summarizeCPUProfile(timed, 10, {
        sinceMicroseconds: 1_006_500,
        untilMicroseconds: 1_013_000,
      }),
    ).toEqual([
      { function: 'countTokens (chunk-A.js:10)', selfMs: 1, selfPercent: (1000 / 1500) * 100 },
      { function: '(anonymous) (chunk-B.js:1)', selfMs: 0.5, selfPercent: (500 / 1500) * 100 },
    ]);
  });

  it('names bundled frames by their original source when a resolver knows them', () => {
    const resolveSource = (url: string, line: number) =>
      url.endsWith('chunk-A.js') ? `packages/core/src/count.ts:${line * 10}` : undefined;
    expect(summarizeCPUProfile(timed, 1, { resolveSource })[0]?.function).toBe(
      'countTokens (packages/core/src/count.ts:90)',
    );
  });
});

describe('groupCPUProfile', () => {
  it('sums self time by package, dependency, Node module and native call', () => {
    const grouped: CPUProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'writev', url: '', lineNumber: -1 } },
        { id: 3, callFrame: { functionName: 'a', url: 'file:///x/chunk.js', lineNumber: 1 } },
        { id: 4, callFrame: { functionName: 'b', url: 'file:///x/chunk.js', lineNumber: 2 } },
        { id: 5, callFrame: { functionName: 'emit', url: 'node:_http_server', lineNumber: 3 } },
        {
          id: 6,
          callFrame: {
            functionName: 'dispatch',
            url: 'file:///r/node_modules/.pnpm/hono@4.1.0/node_modules/hono/dist/compose.js',
            lineNumber: 4,
          },
        },
      ],
      samples: [1, 2, 3, 4, 5, 6],
      timeDeltas: [9000, 400, 300, 200, 100, 100],
    };
    const resolveSource = (url: string, line: number) => {
      if (!url.endsWith('/chunk.js')) return undefined;
      return line === 1 ? 'packages/server/src/x.ts:1' : 'packages/core/src/y.ts:2';
    };
    expect(
      groupCPUProfile(grouped, { resolveSource }).map(entry => [entry.function, entry.selfMs]),
    ).toEqual([
      ['native writev', 0.4],
      ['packages/server', 0.3],
      ['packages/core', 0.2],
      ['node:http', 0.1],
      ['dependency hono', 0.1],
    ]);
  });
});
