/**
 * Who a PID is: its start time and command line. A PID file outlives its process (a crash, a
 * reboot), and the number may since have gone to another program; comparing identities before
 * signalling keeps `conduit stop` from killing it.
 * @module
 */
import { readFileSync } from 'node:fs';

/** A process's identity as the OS reports it. */
export interface ProcessIdentity {
  /** Linux: clock ticks after boot (`/proc/<pid>/stat` field 22); elsewhere `ps -o lstart`. */
  startTime: string;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** The identity of `pid`, or undefined when it cannot be read (no such process, no `ps`). */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  return process.platform === 'linux' ? readFromProc(pid) : readFromPs(pid);
}

function readFromProc(pid: number): ProcessIdentity | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTime = fields[19];
    if (!startTime) return undefined;
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .join(' ');
    return { startTime, command };
  } catch {
    return undefined;
  }
}

function readFromPs(pid: number): ProcessIdentity | undefined {
  // Looked up here, not imported: on Linux the gateway never needs `node:child_process`.
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const ask = (format: string) => {
    const result = spawnSync('ps', ['-o', `${format}=`, '-p', String(pid)], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : '';
  };
  const startTime = ask('lstart');
  if (!startTime) return undefined;
  return { startTime, command: ask('command') };
}

/**
 * True when `pid` is still the process that `recorded` describes. Without a recorded identity
 * (a PID file from an older Conduit) the answer is true, as before.
 */
export function isSameProcess(pid: number, recorded: ProcessIdentity | undefined): boolean {
  if (!recorded) return true;
  const current = readProcessIdentity(pid);
  if (!current) return false;
  return current.startTime === recorded.startTime && current.command === recorded.command;
}
