import { describe, expect, it } from '@jest/globals';
import { daemonHeapFlags } from './daemon.js';

describe('daemonHeapFlags', () => {
  it('adds a small semi-space and an old-space limit to the daemon', () => {
    expect(daemonHeapFlags(['--enable-source-maps'], {})).toEqual([
      '--enable-source-maps',
      '--max-semi-space-size=4',
      '--max-old-space-size=512',
    ]);
  });

  it('keeps what the user chose in node flags or NODE_OPTIONS', () => {
    expect(daemonHeapFlags(['--max-old-space-size=2048'], {})).toEqual([
      '--max-old-space-size=2048',
      '--max-semi-space-size=4',
    ]);
    expect(daemonHeapFlags([], { NODE_OPTIONS: '--max-semi-space-size=16' })).toEqual([
      '--max-old-space-size=512',
    ]);
  });
});
