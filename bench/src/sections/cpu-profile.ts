import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** One function's share of a CPU profile. */
export interface ProfileEntry {
  /** `name (file:line)` */
  function: string;
  selfMs: number;
  /** Share of the non-idle samples. */
  selfPercent: number;
}

interface CPUProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** The subset of a V8 `.cpuprofile` read here. */
export interface CPUProfile {
  nodes: CPUProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function of a V8 CPU profile, highest first, with `(idle)` left out of the total.
 * Functions with the same name, file and line are merged.
 */
export function summarizeCPUProfile(profile: CPUProfile, top: number): ProfileEntry[] {
  const labels = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    labels.set(node.id, url ? `${name} (${basename(url)}:${lineNumber + 1})` : name);
  }
  const selfMicroseconds = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    const label = labels.get(nodeId) ?? '(unknown)';
    if (label === '(idle)') return;
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    total += delta;
    selfMicroseconds.set(label, (selfMicroseconds.get(label) ?? 0) + delta);
  });
  return [...selfMicroseconds.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, top)
    .map(([label, microseconds]) => ({
      function: label,
      selfMs: microseconds / 1000,
      selfPercent: total === 0 ? 0 : (microseconds / total) * 100,
    }));
}

/** A temporary folder for `--cpu-prof-dir`, and a reader for the profile written there. */
export function createProfileDirectory(): {
  directory: string;
  read(): CPUProfile;
  remove(): void;
} {
  const directory = mkdtempSync(join(tmpdir(), 'conduit-bench-profile-'));
  return {
    directory,
    read: () => {
      const file = readdirSync(directory).find(name => name.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile was written to ${directory}`);
      return JSON.parse(readFileSync(join(directory, file), 'utf8')) as CPUProfile;
    },
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The top functions of a gateway profiled while serving one scenario. */
export interface GatewayProfile {
  scenario: string;
  requests: number;
  entries: ProfileEntry[];
}
