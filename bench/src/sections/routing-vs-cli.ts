import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConduitConfigInput,
  type MessagesRequest,
  TokenCounter,
  createConduitRouter,
} from '@conduit/core';
import { benchDirectory, cliEntry, repositoryRoot } from '../lib/bench-paths.js';
import { createBenchProviders } from '../lib/gateways.js';
import { type Summary, ratio, summarize } from '../lib/statistics.js';
import { claudeCodeFixture } from './bench-requests.js';

/** Library routing vs spawning `conduit route` for the same request. */
export interface RoutingVsCLIResult {
  fixture: string;
  /** `router.route()` with a warm router (token counts cached). */
  libraryWarmMs: Summary;
  /** A new router and token counter per route: nothing cached. */
  libraryColdMs: Summary;
  /** `node apps/cli/dist/cli.js route <file> --json`, wall time. */
  cliWallMs: Summary;
  /** Maximum resident set of the CLI process (`/usr/bin/time -v`), null when unavailable. */
  cliMaxRSSMB: number | null;
  /** Resident memory the library adds to a process (import + router + 100 routes). */
  libraryRSSDeltaMB: number | null;
  libraryHeapDeltaMB: number | null;
  /** CLI wall ÷ warm library route. */
  speedupWarm: number | null;
  /** CLI wall ÷ cold library route. */
  speedupCold: number | null;
  /** Library RSS delta ÷ CLI max RSS (the seed asks ≤ 0.5). */
  memoryFraction: number | null;
  notes: string[];
}

const routerConfig = (mockURL: string): ConduitConfigInput =>
  ({
    Providers: createBenchProviders(mockURL),
    Router: { default: 'mock-openai,mock-model' },
  }) as ConduitConfigInput;

async function timeLibrary(
  requestText: string,
  runs: { warm: number; cold: number },
): Promise<{ warm: number[]; cold: number[] }> {
  const config = routerConfig('http://127.0.0.1:9');
  const router = createConduitRouter(config, { tokenCounter: new TokenCounter() });
  await router.initialize();
  await router.route({ request: JSON.parse(requestText) as MessagesRequest });
  const warm: number[] = [];
  for (let run = 0; run < runs.warm; run++) {
    const request = JSON.parse(requestText) as MessagesRequest;
    const started = performance.now();
    await router.route({ request });
    warm.push(performance.now() - started);
  }
  const cold: number[] = [];
  for (let run = 0; run < runs.cold; run++) {
    const request = JSON.parse(requestText) as MessagesRequest;
    const started = performance.now();
    const fresh = createConduitRouter(config, { tokenCounter: new TokenCounter() });
    await fresh.initialize();
    await fresh.route({ request });
    cold.push(performance.now() - started);
  }
  return { warm, cold };
}

export interface ProbeOutput {
  rssBeforeMB: number;
  rssAfterMB: number;
  heapUsedBeforeMB: number;
  heapUsedAfterMB: number;
}

/**
 * Bundles @conduit/core and the probe with esbuild, then runs the probe with plain node. Like the
 * published `@conduit/core` build, the bundle keeps the package's npm dependencies external
 * (gpt-tokenizer, lru-cache, zod, json5): it is written inside `packages/core`, so they resolve
 * from its node_modules, and files they ship (the tokenizer's rank tables) are read as installed.
 * `coreEntry` bundles another checkout of the sources (it must sit inside `packages/core` too).
 */
export async function probeLibraryMemory(
  requestFile: string,
  coreEntry = join(repositoryRoot, 'packages/core/src/index.ts'),
): Promise<ProbeOutput> {
  const { build } = await import('esbuild');
  const directory = mkdtempSync(join(repositoryRoot, 'packages/core/.bench-probe-'));
  try {
    await build({
      entryPoints: {
        core: coreEntry,
        probe: join(benchDirectory, 'src/probes/library-memory-probe.ts'),
      },
      outdir: directory,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['@conduit/source'],
      banner: {
        js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const result = spawnSync(
      process.execPath,
      ['--expose-gc', join(directory, 'probe.mjs'), requestFile, join(directory, 'core.mjs')],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(result.stderr.slice(-500));
    return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as ProbeOutput;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function parseMaxRSS(timeOutput: string): number | null {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeOutput);
  return match ? Number(match[1]) / 1024 : null;
}

/** Wall times and maximum RSS of `conduit route <file> --json`, spawned `runs` times. */
export function measureCLIRoute(options: {
  requestFile: string;
  runs: number;
  /** Another build of the CLI's `cli.js` (default: `apps/cli/dist/cli.js`). */
  cli?: string;
}): { wall: number[]; maxRSSMB: number | null; notes: string[] } {
  const notes: string[] = [];
  const home = mkdtempSync(join(tmpdir(), 'conduit-bench-route-'));
  writeFileSync(join(home, 'config.json'), JSON.stringify(routerConfig('http://127.0.0.1:9')));
  const env = { ...process.env, CONDUIT_HOME: home, HOME: home };
  const timeBinary = '/usr/bin/time';
  const useTime = existsSync(timeBinary);
  if (!useTime) notes.push('/usr/bin/time is missing: the CLI maximum RSS is not reported');
  const wall: number[] = [];
  let maxRSS: number | null = null;
  try {
    for (let run = 0; run < options.runs; run++) {
      const args = [options.cli ?? cliEntry, 'route', options.requestFile, '--json'];
      const started = performance.now();
      const result = useTime
        ? spawnSync(timeBinary, ['-v', process.execPath, ...args], { env, encoding: 'utf8' })
        : spawnSync(process.execPath, args, { env, encoding: 'utf8' });
      wall.push(performance.now() - started);
      if (result.status !== 0) {
        throw new Error(`conduit route failed (${result.status}): ${result.stderr.slice(-500)}`);
      }
      const rss = parseMaxRSS(result.stderr);
      if (rss !== null) maxRSS = Math.max(maxRSS ?? 0, rss);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return { wall, maxRSSMB: maxRSS, notes };
}

/** Library route vs CLI spawn on the Claude Code request. */
export async function measureRoutingVsCLI(options: {
  fixturesDirectory: string;
  cliRuns: number;
  libraryRuns: { warm: number; cold: number };
}): Promise<RoutingVsCLIResult> {
  const requestFile = join(options.fixturesDirectory, claudeCodeFixture);
  const requestText = JSON.stringify(JSON.parse(readFileSync(requestFile, 'utf8')));
  const library = await timeLibrary(requestText, options.libraryRuns);
  const cli = measureCLIRoute({ requestFile, runs: options.cliRuns });
  const notes = cli.notes;
  const wall = cli.wall;
  const maxRSS = cli.maxRSSMB;

  let rssDelta: number | null = null;
  let heapDelta: number | null = null;
  try {
    const measured = await probeLibraryMemory(requestFile);
    rssDelta = measured.rssAfterMB - measured.rssBeforeMB;
    heapDelta = measured.heapUsedAfterMB - measured.heapUsedBeforeMB;
    notes.push(
      'library memory: RSS growth of a plain node process that imports @conduit/core (bundled with esbuild with its npm dependencies external, as the published build is), builds a router and routes the request 100 times',
    );
  } catch (error) {
    notes.push(
      `library memory probe failed: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`,
    );
  }
  const cliWallMs = summarize(wall);
  const libraryWarmMs = summarize(library.warm);
  const libraryColdMs = summarize(library.cold);
  return {
    fixture: claudeCodeFixture,
    libraryWarmMs,
    libraryColdMs,
    cliWallMs,
    cliMaxRSSMB: maxRSS,
    libraryRSSDeltaMB: rssDelta,
    libraryHeapDeltaMB: heapDelta,
    speedupWarm: ratio(cliWallMs.median, libraryWarmMs.median),
    speedupCold: ratio(cliWallMs.median, libraryColdMs.median),
    memoryFraction: ratio(rssDelta, maxRSS),
    notes,
  };
}
