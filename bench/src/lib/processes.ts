import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { request } from 'undici';

/** A child process the bench started, with its captured standard error (for diagnostics). */
export interface BenchProcess {
  child: ChildProcess;
  pid: number;
  /** The last 4 KB of standard error and output. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (or signal name). */
  stop(graceMs?: number): Promise<number | string | null>;
}

/** Spawns `command` and keeps a tail of its output; the child is killed if the bench exits. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {},
): BenchProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>(resolve => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    child,
    pid: child.pid,
    output: () => tail,
    stop: async (graceMs = 5000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      process.off('exit', killOnExit);
      return result;
    },
  };
}

/** A free TCP port on 127.0.0.1 (bound and released; the gap before reuse is tiny on loopback). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>(resolve => server.close(() => resolve()));
  if (port === 0) throw new Error('could not find a free port on 127.0.0.1');
  return port;
}

/**
 * Polls `url` (GET) every `intervalMs` until it answers 200; resolves with the milliseconds since
 * `since`. Rejects after `timeoutMs` or when `process` exits first.
 */
export async function waitForHTTP200(
  url: string,
  options: { since: number; timeoutMs: number; intervalMs?: number; process?: BenchProcess },
): Promise<number> {
  const deadline = options.since + options.timeoutMs;
  const interval = options.intervalMs ?? 2;
  while (performance.now() < deadline) {
    const child = options.process?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(
        `the process exited (${child.exitCode ?? child.signalCode}) before ${url} answered: ${options.process?.output()}`,
      );
    }
    try {
      const response = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
      await response.body.dump();
      if (response.statusCode === 200) return performance.now() - options.since;
    } catch {
      // Not listening yet.
    }
    await new Promise(resolve => setTimeout(resolve, interval));
  }
  throw new Error(
    `${url} did not answer 200 within ${options.timeoutMs} ms${options.process ? `: ${options.process.output()}` : ''}`,
  );
}

/** Reads the first line of standard output as JSON (the mock's `{"port":N}`). */
export function readFirstJSONLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no start-up line within ${timeoutMs} ms: ${buffer}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline === -1) return;
      cleanup();
      try {
        resolve(JSON.parse(buffer.slice(0, newline)) as T);
      } catch (error) {
        reject(error);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`exited (${code}) before its start-up line: ${buffer}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Resident memory of a process from `/proc/<pid>/status`: current (`VmRSS`) and peak (`VmHWM`), in MB. */
export interface ResidentMemory {
  rssMB: number;
  peakMB: number;
}

/** Parses `VmRSS`/`VmHWM` out of a `/proc/<pid>/status` text. */
export function parseProcStatus(text: string): ResidentMemory {
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (!match) throw new Error(`${name} missing from /proc status`);
    return Number(match[1]) / 1024;
  };
  return { rssMB: field('VmRSS'), peakMB: field('VmHWM') };
}

/** Samples a process's resident memory from outside (Linux `/proc`). */
export function readResidentMemory(pid: number): ResidentMemory {
  return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** CPU time a process has used so far, in nanoseconds: its main thread and all its threads. */
export interface ThreadCPU {
  mainNs: number;
  allNs: number;
}

/**
 * Reads the threads' `schedstat` in `/proc` (time on CPU, nanoseconds). The main thread alone is
 * the steadiest measure of a Node gateway's work per request on a loaded machine: wall time moves
 * with everything else the machine runs, CPU time much less.
 */
export function readThreadCPU(pid: number): ThreadCPU {
  const ofTask = (task: string) =>
    Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  let allNs = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      allNs += ofTask(task);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { mainNs: ofTask(String(pid)), allNs };
}
