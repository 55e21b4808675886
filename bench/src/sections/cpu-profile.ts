import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
}

/** The subset of a V8 `.cpuprofile` read here. */
export interface CPUProfile {
  nodes: CPUProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** Microseconds on the machine's monotonic clock (`process.hrtime`'s clock). */
  startTime?: number;
}

/** Options of {@link summarizeCPUProfile}. */
export interface SummarizeOptions {
  /** Count only samples taken at or after this time (microseconds, monotonic clock). */
  sinceMicroseconds?: number;
  /** Count only samples taken before this time (microseconds, monotonic clock). */
  untilMicroseconds?: number;
  /** Name the original source of bundled code (see {@link createSourceResolver}). */
  resolveSource?: SourceResolver;
}

/** Maps a bundle position (0-based line and column) to `path:line` in the original source. */
export type SourceResolver = (url: string, line: number, column: number) => string | undefined;

/**
 * Self time per sample node of the profile (idle included), counting only samples inside the
 * window `options` gives (a profile without `startTime` is counted whole).
 */
function selfTimes(profile: CPUProfile, options: SummarizeOptions): Map<number, number> {
  const times = new Map<number, number>();
  const timed = profile.startTime !== undefined;
  const since = (timed && options.sinceMicroseconds) || Number.NEGATIVE_INFINITY;
  const until = (timed && options.untilMicroseconds) || Number.POSITIVE_INFINITY;
  let clock = profile.startTime ?? 0;
  profile.samples.forEach((nodeId, index) => {
    const delta = Math.max(0, profile.timeDeltas[index] ?? 0);
    clock += delta;
    if (clock < since || clock >= until) return;
    times.set(nodeId, (times.get(nodeId) ?? 0) + delta);
  });
  return times;
}

/** Sums `times` (per node) under the label `labelOf` gives each node, highest first. */
function rank(
  profile: CPUProfile,
  times: Map<number, number>,
  labelOf: (node: CPUProfileNode) => string,
  top: number,
): ProfileEntry[] {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]));
  const selfMicroseconds = new Map<string, number>();
  let total = 0;
  for (const [nodeId, microseconds] of times) {
    const node = nodes.get(nodeId);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const label = labelOf(node);
    total += microseconds;
    selfMicroseconds.set(label, (selfMicroseconds.get(label) ?? 0) + microseconds);
  }
  return [...selfMicroseconds.entries()]
    .sort((left, right) => right[1] - left[1])
    .slice(0, top)
    .map(([label, microseconds]) => ({
      function: label,
      selfMs: microseconds / 1000,
      selfPercent: total === 0 ? 0 : (microseconds / total) * 100,
    }));
}

/**
 * Self time per function of a V8 CPU profile, highest first, with `(idle)` left out of the total.
 * Functions with the same name, file and line are merged.
 */
export function summarizeCPUProfile(
  profile: CPUProfile,
  top: number,
  options: SummarizeOptions = {},
): ProfileEntry[] {
  const times = selfTimes(profile, options);
  return rank(
    profile,
    times,
    ({ callFrame: { functionName, url, lineNumber, columnNumber } }) => {
      const name = functionName || '(anonymous)';
      if (!url) return name;
      const source = options.resolveSource?.(url, lineNumber, columnNumber ?? 0);
      return `${name} (${source ?? `${basename(url)}:${lineNumber + 1}`})`;
    },
    top,
  );
}

/**
 * Self time per area, highest first: each workspace package (`packages/server`), each npm
 * dependency (`hono`), Node's own modules by kind (`node:http`), `writev` and other native
 * calls, the garbage collector. Bundled code is attributed through `resolveSource`.
 */
export function groupCPUProfile(
  profile: CPUProfile,
  options: SummarizeOptions & { top?: number } = {},
): ProfileEntry[] {
  const times = selfTimes(profile, options);
  return rank(
    profile,
    times,
    ({ callFrame: { functionName, url, lineNumber, columnNumber } }) => {
      if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName}`;
      if (url.startsWith('node:')) return nodeArea(url);
      const source = options.resolveSource?.(url, lineNumber, columnNumber ?? 0) ?? url;
      return sourceArea(source);
    },
    options.top ?? 15,
  );
}

function nodeArea(url: string): string {
  if (url.includes('http')) return 'node:http';
  if (url.includes('stream')) return 'node:streams';
  if (url.includes('undici')) return 'node:undici';
  return 'node:other';
}

function sourceArea(source: string): string {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(
    source,
  );
  if (dependency) return `dependency ${dependency[1]}`;
  const workspace = /(packages|apps)\/[^/]+/.exec(source);
  return workspace ? workspace[0] : basename(source);
}

/**
 * Resolves bundled positions through the `.map` file next to each `file://` script (the CLI
 * bundle ships them); positions without a map stay unresolved.
 */
export function createSourceResolver(): SourceResolver {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      let map: SourceMap | undefined;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  return (url, line, column) => {
    if (!url.startsWith('file://')) return undefined;
    const entry = mapOf(url)?.findEntry(line, column) as
      | { originalSource?: string; originalLine?: number }
      | undefined;
    if (!entry?.originalSource) return undefined;
    const path = entry.originalSource.replace(/^.*?((?:packages|apps|node_modules)\/)/, '$1');
    return `${path}:${(entry.originalLine ?? 0) + 1}`;
  };
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
  /** Requests served while the profile counted. */
  requests: number;
  entries: ProfileEntry[];
  /** Self time by area (package, dependency, Node module kind); absent in older results. */
  areas?: ProfileEntry[];
  /** Load served before the profile started counting (JIT warm-up), in ms. */
  warmUpMs?: number;
}
