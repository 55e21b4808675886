/**
 * `pnpm --filter @conduit/bench startup`: only the memory and start-up rows of `pnpm bench`, in
 * about a minute, so a change to start-up or memory can be measured without the whole run:
 * cold start to the first `/health` 200, idle RSS, library memory vs the CLI process and (with
 * `--load N`) peak RSS over N small requests.
 *
 * `--cli a/cli.js,b/cli.js` measures several builds of the CLI, alternating run by run so both see
 * the same machine load (e.g. a copy of `apps/cli/dist` from before a change, kept next to it so
 * its dependencies still resolve). `--runs N` sets the number of alternating rounds (default 5).
 * `--node-flags "--max-semi-space-size=2 …"` passes flags to the gateway under load.
 * `--base-core packages/core/<copy>/index.ts` also probes the library memory of another copy of
 * `@conduit/core`'s sources (it must sit inside `packages/core`, see `probeLibraryMemory`).
 * Prints medians per build as JSON; writes nothing. Next to the wall time to `/health`, each start
 * also reports the gateway's own CPU time until then (`/proc/<pid>/stat`), which moves much less
 * with the machine's other load on a shared machine.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cliEntry, resolveFixturesDirectory } from './lib/bench-paths.js';
import { startConduit, startMockProcess } from './lib/gateways.js';
import { readResidentMemory } from './lib/processes.js';
import { summarize } from './lib/statistics.js';
import { claudeCodeFixture } from './sections/bench-requests.js';
import { measureMemory } from './sections/memory.js';
import { measureCLIRoute, probeLibraryMemory } from './sections/routing-vs-cli.js';

const argv = process.argv.slice(2).filter(argument => argument !== '--');
const option = (name: string): string | undefined => {
  const index = argv.indexOf(name);
  return index === -1 ? undefined : argv[index + 1];
};
const clis = (option('--cli') ?? cliEntry).split(',').map(path => resolve(path));
const rounds = Number(option('--runs') ?? 5);
const loadRequests = Number(option('--load') ?? 0);
const baseCore = option('--base-core');
const loadFlags = (option('--node-flags') ?? '').split(' ').filter(flag => flag !== '');
const log = (line: string) => process.stderr.write(`[startup] ${line}\n`);
const rest = (milliseconds: number) => new Promise(done => setTimeout(done, milliseconds));

/** CPU time (user + system) a process has used, in ms, from `/proc/<pid>/stat`; null elsewhere. */
function readCPUMs(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface Samples {
  coldStartNoConfigMs: number[];
  coldStartWithConfigMs: number[];
  coldStartWithConfigCPUMs: number[];
  idleMB: number[];
  cliRouteMaxRSSMB: number[];
  peakUnderLoadMB: number[];
  afterLoadMB: number[];
}

const fixturesDirectory = resolveFixturesDirectory();
const requestFile = join(fixturesDirectory, claudeCodeFixture);
const loadAverageAtStart = loadavg();
const mock = await startMockProcess();
const samples = new Map<string, Samples>(
  clis.map(cli => [
    cli,
    {
      coldStartNoConfigMs: [],
      coldStartWithConfigMs: [],
      coldStartWithConfigCPUMs: [],
      idleMB: [],
      cliRouteMaxRSSMB: [],
      peakUnderLoadMB: [],
      afterLoadMB: [],
    },
  ]),
);
try {
  // One unmeasured start per build, so the file system cache holds every bundle.
  for (const cli of clis) await (await startConduit({ cliEntry: cli })).stop();
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    for (const cli of clis) {
      const sample = samples.get(cli) as Samples;
      const bare = await startConduit({ cliEntry: cli });
      sample.coldStartNoConfigMs.push(bare.readyMs);
      await bare.stop();
      const configured = await startConduit({ cliEntry: cli, mockURL: mock.url });
      sample.coldStartWithConfigMs.push(configured.readyMs);
      const cpuMs = readCPUMs(configured.process.pid);
      if (cpuMs !== null) sample.coldStartWithConfigCPUMs.push(cpuMs);
      await rest(1000);
      sample.idleMB.push(readResidentMemory(configured.process.pid).rssMB);
      await configured.stop();
      const route = measureCLIRoute({ requestFile, runs: 1, cli });
      if (route.maxRSSMB !== null) sample.cliRouteMaxRSSMB.push(route.maxRSSMB);
      if (loadRequests > 0) {
        const memory = await measureMemory({
          mockURL: mock.url,
          totalRequests: loadRequests,
          settleMs: 500,
          cli,
          nodeFlags: loadFlags,
        });
        if (memory.errors > 0) log(`${memory.errors} errors under load (${cli})`);
        sample.peakUnderLoadMB.push(memory.peakMB);
        sample.afterLoadMB.push(memory.afterAllMB);
      }
    }
  }
  // The library probe does not depend on the CLI build: it bundles this checkout's @conduit/core.
  const library: number[] = [];
  const baseLibrary: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const probe = await probeLibraryMemory(requestFile);
    library.push(probe.rssAfterMB - probe.rssBeforeMB);
    if (baseCore) {
      const base = await probeLibraryMemory(requestFile, resolve(baseCore));
      baseLibrary.push(base.rssAfterMB - base.rssBeforeMB);
    }
  }
  const median = (values: number[]) =>
    values.length === 0 ? null : Math.round(summarize(values).median * 10) / 10;
  const libraryMB = median(library);
  const report = {
    loadAverageAtStart: loadAverageAtStart.map(value => Math.round(value * 10) / 10),
    loadAverageAtEnd: loadavg().map(value => Math.round(value * 10) / 10),
    rounds,
    libraryRSSDeltaMB: { median: libraryMB, runs: library },
    ...(baseCore
      ? { baseLibraryRSSDeltaMB: { median: median(baseLibrary), runs: baseLibrary } }
      : {}),
    builds: [...samples].map(([cli, sample]) => {
      const cliMB = median(sample.cliRouteMaxRSSMB);
      return {
        cli,
        ...Object.fromEntries(
          Object.entries(sample as unknown as Record<string, number[]>).map(([name, values]) => [
            name,
            { median: median(values), runs: values.map(value => Math.round(value * 10) / 10) },
          ]),
        ),
        libraryMemoryFraction:
          libraryMB === null || cliMB === null
            ? null
            : Math.round((libraryMB / cliMB) * 1000) / 1000,
      };
    }),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await mock.stop();
}
