import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** The machine a bench ran on, for the results header. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryGiB: number;
  freeMemoryGiB: number;
  loadAverage: number[];
  node: string;
  platform: string;
  date: string;
  /** The commit measured (`git rev-parse --short HEAD`), when the bench runs in a git checkout. */
  commit?: string;
}

/** Describes this machine (CPU model, cores, RAM, load, Node version) and the current date. */
export function describeMachine(now: Date = new Date()): MachineInfo {
  const processors = cpus();
  const gib = 1024 ** 3;
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    totalMemoryGiB: Math.round((totalmem() / gib) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / gib) * 10) / 10,
    loadAverage: loadavg().map(value => Math.round(value * 100) / 100),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    date: now.toISOString(),
    commit: currentCommit(),
  };
}

function currentCommit(): string | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    // Uncommitted edits to tracked files mean the numbers are not exactly that commit's.
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return undefined;
  }
}
