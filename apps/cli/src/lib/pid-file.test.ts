import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { stopInstance } from './daemon.js';
import { acquirePidFile, readInstanceState } from './pid-file.js';
import { readProcessIdentity } from './process-identity.js';

const children: ChildProcess[] = [];
const homes: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function sandbox(): { home: string; pidFile: string } {
  const home = mkdtempSync(path.join(tmpdir(), 'conduit-pid-'));
  homes.push(home);
  return { home, pidFile: path.join(home, 'conduit.pid') };
}

async function startSleeper(options: { uid?: number } = {}): Promise<ChildProcess> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore', ...options });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  return child;
}

const record = (pid: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    pid,
    port: 1,
    host: '127.0.0.1',
    startedAt: new Date().toISOString(),
    version: 'test',
    configPath: null,
    mode: 'daemon',
    ...extra,
  });

describe('the PID file names our daemon only while the process is the same one', () => {
  it('records the start time and command line of the process that claims it', async () => {
    const { pidFile } = sandbox();
    const identity = readProcessIdentity(process.pid);
    expect(identity?.command).toContain('node');
    await acquirePidFile(pidFile, JSON.parse(record(process.pid, { identity })));
    expect(statSync(pidFile).mode & 0o777).toBe(0o600);
    const state = await readInstanceState(pidFile);
    expect(state).toMatchObject({ state: 'running', info: { pid: process.pid, identity } });
  });

  it('treats a reused PID (another start time or command) as stale, and never signals it', async () => {
    const { home, pidFile } = sandbox();
    const sleeper = await startSleeper();
    writeFileSync(
      pidFile,
      record(sleeper.pid!, {
        identity: { startTime: '1', command: 'node conduit start --daemon' },
      }),
    );
    expect((await readInstanceState(pidFile)).state).toBe('stale');
    const result = await stopInstance({ env: { CONDUIT_HOME: home }, timeoutMs: 1000 });
    expect(result.outcome).toBe('stale');
    expect(sleeper.exitCode).toBeNull();
    expect(sleeper.signalCode).toBeNull();
  });

  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  (asRoot ? it : it.skip)('treats a process of another user as not ours', async () => {
    const { home, pidFile } = sandbox();
    const sleeper = await startSleeper({ uid: 65534 });
    writeFileSync(pidFile, record(sleeper.pid!));
    expect((await readInstanceState(pidFile)).state).toBe('stale');
    expect((await stopInstance({ env: { CONDUIT_HOME: home }, timeoutMs: 1000 })).outcome).toBe(
      'stale',
    );
    expect(sleeper.signalCode).toBeNull();
  });
});
