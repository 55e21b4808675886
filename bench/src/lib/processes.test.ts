import { describe, expect, it } from '@jest/globals';
import { findFreePort, parseProcStatus, readResidentMemory } from './processes.js';

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM in MB', () => {
    const text = 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t7\n';
    expect(parseProcStatus(text)).toEqual({ rssMB: 100, peakMB: 200 });
  });

  it('fails clearly when a field is missing', () => {
    expect(() => parseProcStatus('Name:\tnode\n')).toThrow('VmRSS missing');
  });

  it('samples this process from /proc', () => {
    const memory = readResidentMemory(process.pid);
    expect(memory.rssMB).toBeGreaterThan(1);
    expect(memory.peakMB).toBeGreaterThanOrEqual(memory.rssMB);
  });
});

describe('findFreePort', () => {
  it('returns a usable port number', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});
