/**
 * The detached daemon: spawning it (`conduit start --daemon`, `restart`, `code`) and stopping it.
 * The parent talks to the child over an IPC channel until the server listens, so errors such as a
 * port in use reach the user's terminal with their own message and exit code.
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIError } from './cli-error.js';
import { resolveConduitPaths } from './conduit-paths.js';
import { type ExitCode, exitCodes } from './exit-codes.js';
import { isProcessAlive, type PidInfo, readInstanceState, removePidFile } from './pid-file.js';
import type { DaemonMessage } from './run-server.js';

export interface SpawnDaemonOptions {
  configPath?: string;
  port?: number;
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the server to listen. Default 30 s. */
  timeoutMs?: number;
}

/** Where the running daemon listens. */
export interface DaemonAddress {
  pid: number;
  url: string;
  port: number;
  host: string;
}

const knownExitCodes = new Set<number>(Object.values(exitCodes));

function tail(file: string, maxLength = 2000): string {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text.length > maxLength ? `…${text.slice(-maxLength)}` : text;
  } catch {
    return '';
  }
}

/**
 * V8 heap settings of the daemon, unless this process's flags or `NODE_OPTIONS` already choose
 * them. V8 sizes its heap from the machine's memory (gigabytes on a server) and, with nothing to
 * push it, collects lazily: a gateway's RSS kept climbing to 600+ MB under load while its live
 * data stays near 30 MB (the bench, `cappedHeapMemory`). A 4 MB semi-space (default 16) keeps the
 * young generation, where nearly every per-request object dies, small; the old-generation limit
 * of 512 MB makes V8 collect before growing far, with room for long conversations in flight
 * (a 200k-token request is about 1 MB) and the token-count cache (at most ~16 MB).
 */
export function daemonHeapFlags(execArgv: string[], env: NodeJS.ProcessEnv): string[] {
  const chosen = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
  const flags = [...execArgv];
  if (!/--max-semi-space-size\b/.test(chosen)) flags.push('--max-semi-space-size=4');
  if (!/--max-old-space-size\b/.test(chosen)) flags.push('--max-old-space-size=512');
  return flags;
}

/**
 * Starts `conduit start --daemon-child` detached from this terminal, with the same node flags and
 * script as this process, and resolves once it listens.
 */
export async function spawnDaemon(options: SpawnDaemonOptions): Promise<DaemonAddress> {
  const env = options.env ?? process.env;
  const paths = resolveConduitPaths(env);
  mkdirSync(paths.logDirectory, { recursive: true, mode: 0o700 });
  const stderrFile = join(paths.logDirectory, 'daemon-stderr.log');
  const stderrDescriptor = openSync(stderrFile, 'a', 0o600);
  const script = process.argv[1];
  if (!script)
    throw new CLIError({ message: 'cannot find the conduit script to start the daemon' });
  const args = [...daemonHeapFlags(process.execArgv, env), script, 'start', '--daemon-child'];
  if (options.configPath) args.push('--config', resolve(options.configPath));
  if (options.port !== undefined) args.push('--port', String(options.port));
  if (options.host !== undefined) args.push('--host', options.host);

  const child = spawn(process.execPath, args, {
    detached: true,
    env,
    stdio: ['ignore', 'ignore', stderrDescriptor, 'ipc'],
    windowsHide: true,
  });
  closeSync(stderrDescriptor);
  const timeoutMs = options.timeoutMs ?? 30_000;

  return new Promise<DaemonAddress>((resolvePromise, rejectPromise) => {
    let settled = false;
    const finish = (outcome: { address?: DaemonAddress; error?: CLIError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.removeAllListeners();
      if (child.connected) child.disconnect();
      child.unref();
      if (outcome.address) resolvePromise(outcome.address);
      else rejectPromise(outcome.error);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({
        error: new CLIError({
          message: `the Conduit daemon did not start within ${timeoutMs / 1000} s; see ${paths.logDirectory}`,
        }),
      });
    }, timeoutMs);
    child.on('message', (message: DaemonMessage) => {
      if (message.type === 'ready') {
        finish({
          address: { pid: message.pid, url: message.url, port: message.port, host: message.host },
        });
      } else if (message.type === 'failed') {
        const exitCode = (
          knownExitCodes.has(message.exitCode) ? message.exitCode : exitCodes.failure
        ) as ExitCode;
        finish({ error: new CLIError({ message: message.message, exitCode }) });
      }
    });
    child.on('error', error => {
      finish({
        error: new CLIError({
          message: `could not start the Conduit daemon: ${error.message}`,
          cause: error,
        }),
      });
    });
    child.on('exit', (code, signal) => {
      const output = tail(stderrFile);
      finish({
        error: new CLIError({
          message: `the Conduit daemon exited before it was ready (${signal ?? `exit code ${code}`})${output ? `:\n${output}` : ''}`,
        }),
      });
    });
  });
}

/** What `stopInstance` found and did. */
export type StopResult =
  | { outcome: 'not-running' }
  | { outcome: 'stale'; info: PidInfo | null }
  | { outcome: 'stopped'; info: PidInfo; forced: boolean };

/**
 * Stops the instance named by the PID file: SIGTERM, wait for the graceful shutdown, SIGKILL after
 * `timeoutMs`. A stale PID file is removed.
 */
export async function stopInstance({
  env = process.env,
  timeoutMs = 35_000,
}: {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}): Promise<StopResult> {
  const { pidFile } = resolveConduitPaths(env);
  const state = await readInstanceState(pidFile);
  if (state.state === 'stopped') return { outcome: 'not-running' };
  if (state.state === 'stale') {
    await removePidFile(pidFile);
    return { outcome: 'stale', info: state.info };
  }
  const { info } = state;
  try {
    // readInstanceState checked the identity just now: this is our daemon, not a reused PID.
    process.kill(info.pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      await removePidFile(pidFile);
      return { outcome: 'stale', info };
    }
    throw new CLIError({
      message: `cannot stop Conduit (PID ${info.pid}): ${(error as Error).message}`,
      cause: error,
    });
  }
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(info.pid) && Date.now() < deadline) {
    await new Promise(resolveWait => setTimeout(resolveWait, 100));
  }
  let forced = false;
  if (isProcessAlive(info.pid)) {
    process.kill(info.pid, 'SIGKILL');
    forced = true;
    while (isProcessAlive(info.pid)) await new Promise(resolveWait => setTimeout(resolveWait, 50));
  }
  // The process removes its own PID file on a clean stop; clear it when it could not.
  const after = await readInstanceState(pidFile);
  if (after.state === 'stale' && after.info?.pid === info.pid) await removePidFile(pidFile);
  return { outcome: 'stopped', info, forced };
}
