/**
 * The PID file (`$CONDUIT_HOME/conduit.pid`): a JSON record of the running instance. It is created
 * exclusively, so two instances cannot both claim it; a file whose process is gone is stale and is
 * removed by whoever finds it.
 * @module
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { type ProcessIdentity, isSameProcess } from './process-identity.js';

/** What the PID file records about a running Conduit. */
export interface PidInfo {
  pid: number;
  /** Port actually listened on (`null` while the server is still starting). */
  port: number | null;
  host: string;
  /** ISO time the process started. */
  startedAt: string;
  version: string;
  /** The config file in use, `null` when running without one. */
  configPath: string | null;
  mode: 'foreground' | 'daemon';
  /** Start time and command line of `pid` when it wrote the file (checked before signalling). */
  identity?: ProcessIdentity;
}

/** The state found on disk: nothing, a live instance, or a stale file left by a dead one. */
export type InstanceState =
  | { state: 'stopped' }
  | { state: 'running'; info: PidInfo }
  | { state: 'stale'; info: PidInfo | null };

/** `true` when a process with this id exists (also when it belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `true` when `pid` is a process of ours that we may signal: it exists, belongs to this user (a
 * process of another user is never our daemon) and, when the PID file recorded it, has the same
 * start time and command line (so a PID reused after a reboot is not mistaken for Conduit).
 */
export function isOurInstance(info: Pick<PidInfo, 'pid' | 'identity'>): boolean {
  try {
    // EPERM (another user's process) is not ours either.
    process.kill(info.pid, 0);
  } catch {
    return false;
  }
  if (!isOwnedByThisUser(info.pid)) return false;
  return isSameProcess(info.pid, info.identity);
}

function parsePidInfo(text: string): PidInfo | null {
  try {
    const value = JSON.parse(text) as Partial<PidInfo>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0)
      return null;
    return {
      pid: value.pid,
      port: typeof value.port === 'number' ? value.port : null,
      host: typeof value.host === 'string' ? value.host : '127.0.0.1',
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
      version: typeof value.version === 'string' ? value.version : 'unknown',
      configPath: typeof value.configPath === 'string' ? value.configPath : null,
      mode: value.mode === 'foreground' ? 'foreground' : 'daemon',
      ...(isIdentity(value.identity) ? { identity: value.identity } : {}),
    };
  } catch {
    return null;
  }
}

/** Root may signal anyone, so ownership is checked too (Linux: the owner of `/proc/<pid>`). */
function isOwnedByThisUser(pid: number): boolean {
  if (process.platform !== 'linux' || typeof process.getuid !== 'function') return true;
  try {
    return statSync(`/proc/${pid}`).uid === process.getuid();
  } catch {
    return false;
  }
}

function isIdentity(value: unknown): value is ProcessIdentity {
  const candidate = value as Partial<ProcessIdentity> | null | undefined;
  return typeof candidate?.startTime === 'string' && typeof candidate.command === 'string';
}

/** Reads the PID file and tells whether the instance it names is alive (and still ours). */
export async function readInstanceState(pidFile: string): Promise<InstanceState> {
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'stopped' };
    throw new CLIError({ message: `cannot read PID file ${pidFile}: ${(error as Error).message}` });
  }
  const info = parsePidInfo(text);
  if (info && isOurInstance(info)) return { state: 'running', info };
  return { state: 'stale', info };
}

/** Removes the PID file; a file that is already gone is fine. */
export async function removePidFile(pidFile: string): Promise<void> {
  try {
    await unlink(pidFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Removes the PID file only when it still names `pid` (a newer instance may have replaced it). */
export async function removePidFileIfOwned(pidFile: string, pid: number): Promise<void> {
  const current = await readFile(pidFile, 'utf8').catch(() => null);
  if (current !== null && parsePidInfo(current)?.pid === pid) await removePidFile(pidFile);
}

/**
 * Claims the PID file for this process. Refuses when a live instance holds it (exit code 4) and
 * clears a stale one. Returns `true` when a stale file was removed.
 */
export async function acquirePidFile(
  pidFile: string,
  info: PidInfo,
): Promise<{ removedStale: boolean }> {
  // The writes here and in `updatePidFile` are synchronous: they are small and on the way to
  // listening, where each asynchronous call would cost `conduit start` trips through the thread pool.
  mkdirSync(dirname(pidFile), { recursive: true, mode: 0o700 });
  let removedStale = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(pidFile, `${JSON.stringify(info, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      return { removedStale };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = await readInstanceState(pidFile);
    if (existing.state === 'running') throw alreadyRunningError(existing.info);
    await removePidFile(pidFile);
    removedStale = true;
  }
  throw new CLIError({
    message: `could not claim PID file ${pidFile}: another process keeps writing it`,
  });
}

/** Rewrites the PID file atomically (used once the real port is known). */
export async function updatePidFile(pidFile: string, info: PidInfo): Promise<void> {
  const temporary = `${pidFile}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, pidFile);
}

/** The error for "a second instance was asked to start". */
export function alreadyRunningError(info: PidInfo): CLIError {
  const address = info.port === null ? 'starting' : `http://${info.host}:${info.port}`;
  return new CLIError({
    message: `Conduit is already running (PID ${info.pid}, ${address}). Use \`conduit stop\` or \`conduit restart\`.`,
    exitCode: exitCodes.alreadyRunning,
  });
}
