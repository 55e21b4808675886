/**
 * `pnpm bench`: Conduit's cost on the path of every model call, measured side by side in one run.
 * Writes bench/results/latest.json and latest.md. `--smoke` runs a seconds-long version (CI),
 * `--no-ccr` skips claude-code-router, `--no-profile` skips the CPU profile, `--rounds=N` sets how
 * many rounds each overhead and stream row runs (3 by default, 1 in smoke mode).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { MessagesRequest } from '@conduit/core';
import type { BenchResults } from './bench-results.js';
import { resolveFixturesDirectory, resultsDirectory } from './lib/bench-paths.js';
import {
  type RunningServer,
  ccrVersion,
  ensureCLIBuilt,
  installCCR,
  startCCR,
  startConduit,
  startMockProcess,
} from './lib/gateways.js';
import { describeMachine } from './lib/machine-info.js';
import { readResidentMemory, waitForHTTP200 } from './lib/processes.js';
import { type Summary, summarize } from './lib/statistics.js';
import { renderMarkdown } from './report/render-markdown.js';
import { createSmallRequest, readClaudeCodeRequest } from './sections/bench-requests.js';
import { measureColdStart } from './sections/cold-start.js';
import type { GatewayProfile } from './sections/cpu-profile.js';
import { profileGateway } from './sections/profile-gateway.js';
import { measureMemory } from './sections/memory.js';
import {
  type OverheadResult,
  type OverheadScenario,
  type MatrixGateway,
  type RunTiming,
  createOverheadScenarios,
  createStreamScenarios,
  runScenarioMatrix,
} from './sections/overhead.js';
import { measureRoutingVsCLI } from './sections/routing-vs-cli.js';
import { measureAdapterStream, measureStreamState } from './sections/stream-translation.js';
import { evaluateTargets } from './sections/evaluate-targets.js';
import { measureFixtures, measureGrowingConversation } from './sections/token-counter.js';
import { warmUpGateways } from './sections/warm-up.js';

// `pnpm bench -- --rebuild` forwards the `--` separator itself: ignore it.
const argv = process.argv.slice(2).filter(argument => argument !== '--');
const known = new Set(['--smoke', '--no-ccr', '--ccr', '--no-profile', '--rebuild', '--rounds=N']);
for (const argument of argv) {
  if (!known.has(argument) && !/^--rounds=[1-9]\d*$/.test(argument)) {
    process.stderr.write(`unknown option ${argument}; use ${[...known].join(', ')}\n`);
    process.exit(2);
  }
}
const smoke = argv.includes('--smoke');
const withCCR = smoke ? argv.includes('--ccr') : !argv.includes('--no-ccr');
const withProfile = !smoke && !argv.includes('--no-profile');
const roundsArgument = argv.find(argument => argument.startsWith('--rounds='));
const roundsOption = roundsArgument ? Number(roundsArgument.slice('--rounds='.length)) : undefined;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const timing: RunTiming = smoke
  ? { warmupMs: 50, durationMs: 120 }
  : { warmupMs: 300, durationMs: 1500 };
const settings = smoke
  ? {
      coldRuns: 2,
      warmRuns: 5,
      growTo: 50_000,
      translationMs: 150,
      cliRuns: 1,
      startRuns: 1,
      memoryRequests: 600,
      settleMs: 250,
      rounds: roundsOption ?? 1,
      slicesAtConcurrency1: 2,
      warmUpSecondsPerShape: 0,
    }
  : {
      coldRuns: 15,
      warmRuns: 200,
      growTo: 200_000,
      translationMs: 2000,
      cliRuns: 5,
      startRuns: 7,
      memoryRequests: 100_000,
      settleMs: 1000,
      rounds: roundsOption ?? 3,
      slicesAtConcurrency1: 5,
      warmUpSecondsPerShape: 1.5,
    };

/** A small heap: if memory still stays flat, growth under default flags is lazy collection, not a leak. */
const cappedHeapFlags = ['--max-old-space-size=64', '--max-semi-space-size=4'];
/** The V8 heap flags the CLI gives the daemon it spawns (apps/cli/src/lib/daemon.ts, `daemonHeapFlags`). */
const daemonHeapFlags = ['--max-semi-space-size=4', '--max-old-space-size=512'];
const runStarted = performance.now();
const machine = describeMachine();
const fixturesDirectory = resolveFixturesDirectory();
const claudeCodeRequest = readClaudeCodeRequest(fixturesDirectory);
const smallRequest = createSmallRequest();
const requestFor = (scenario: OverheadScenario) =>
  scenario.body === 'small' ? smallRequest : claudeCodeRequest;

ensureCLIBuilt({ force: argv.includes('--rebuild'), log });
const mock = await startMockProcess();
log(`mock upstream at ${mock.url}`);
const running: RunningServer[] = [mock];
const stopAll = async () => {
  for (const server of running.splice(0).reverse()) await server.stop().catch(() => undefined);
};
process.once('SIGINT', () => {
  stopAll().finally(() => process.exit(130));
});

try {
  log('token counter');
  const fixtureCounts = measureFixtures(fixturesDirectory, {
    cold: settings.coldRuns,
    warm: settings.warmRuns,
  });
  const growingConversation = measureGrowingConversation(fixturesDirectory, settings.growTo);

  log('stream translation in process');
  const stateMachine = measureStreamState(settings.translationMs);
  const adapter = await measureAdapterStream(settings.translationMs);

  log('library routing vs CLI');
  const routing = await measureRoutingVsCLI({
    fixturesDirectory,
    cliRuns: settings.cliRuns,
    libraryRuns: { warm: settings.warmRuns, cold: settings.coldRuns },
  });

  log('cold start');
  const coldStart = await measureColdStart({ runs: settings.startRuns, mockURL: mock.url });

  const overheadScenarios = createOverheadScenarios().filter(
    scenario => !smoke || scenario.provider !== 'mock-openai-delay',
  );
  const allStreamScenarios = createStreamScenarios();
  const streamScenarios = allStreamScenarios.filter(
    scenario => !smoke || scenario.id === 'long/openai/sse/c8',
  );

  const runMatrix = (
    scenarios: OverheadScenario[],
    gateways: MatrixGateway[],
    results: Map<string, OverheadResult>,
  ) =>
    runScenarioMatrix({
      scenarios,
      gateways,
      results,
      mockURL: mock.url,
      timing,
      requestFor,
      log,
      rounds: settings.rounds,
      slicesAtConcurrency1: settings.slicesAtConcurrency1,
    });

  let ccrIdleMB: number | null = null;
  let ccrColdStart: Summary | null = null;
  let ccrNote = 'skipped (--no-ccr, or --smoke without --ccr)';
  let ccrStatus: 'measured' | 'skipped' = 'skipped';
  let ccr: RunningServer | undefined;
  if (withCCR) {
    const installed = installCCR(log);
    if ('skipped' in installed) {
      ccrNote = `skipped: ${installed.skipped}`;
    } else {
      try {
        log(`claude-code-router ${ccrVersion}: cold start and idle memory`);
        const starts: number[] = [];
        for (let run = 0; run < (smoke ? 1 : 3); run++) {
          const server = await startCCR({ cli: installed.cli, mockURL: mock.url });
          starts.push(server.readyMs);
          await server.stop();
        }
        ccrColdStart = summarize(starts);
        ccr = await startCCR({ cli: installed.cli, mockURL: mock.url });
        running.push(ccr);
        await new Promise(resolve => setTimeout(resolve, 1000));
        ccrIdleMB = readResidentMemory(ccr.process.pid).rssMB;
        await waitForHTTP200(`${ccr.url}/health`, { since: performance.now(), timeoutMs: 5000 });
        ccrNote = `@musistudio/claude-code-router@${ccrVersion} from npm, HOME in a temporary folder, same providers, LOG false`;
      } catch (error) {
        ccrNote = `skipped after an error: ${error instanceof Error ? error.message.slice(0, 400) : String(error)}`;
        log(ccrNote);
      }
    }
  }

  // Both gateways run side by side; every scenario measures direct, Conduit and CCR back to back,
  // round after round, so each ratio compares numbers taken under the same conditions.
  log(
    `gateway overhead: conduit${ccr ? ' and claude-code-router, alternating' : ''}, ${settings.rounds} round(s)`,
  );
  const overhead = new Map<string, OverheadResult>();
  const endToEnd = new Map<string, OverheadResult>();
  const conduit = await startConduit({ mockURL: mock.url });
  running.push(conduit);
  const gateways: MatrixGateway[] = [{ ...conduit, pid: conduit.process.pid }];
  // CCR has no OpenAI door: those rows compare Conduit's two doors only.
  if (ccr) {
    gateways.push({
      ...ccr,
      pid: ccr.process.pid,
      accepts: scenario => scenario.door === undefined,
    });
  }
  log(
    `warm-up: every request shape through every gateway, ${settings.warmUpSecondsPerShape} s each`,
  );
  const warmUp = await warmUpGateways({
    scenarios: [...overheadScenarios, ...streamScenarios],
    gateways,
    mockURL: mock.url,
    requestFor,
    secondsPerShape: settings.warmUpSecondsPerShape,
    log,
  });
  await runMatrix(overheadScenarios, gateways, overhead);
  await runMatrix(streamScenarios, gateways, endToEnd);
  if (ccr) ccrStatus = 'measured';
  for (const server of ccr ? [conduit, ccr] : [conduit]) {
    await server.stop();
    running.splice(running.indexOf(server), 1);
  }

  log(
    `memory over ${settings.memoryRequests} requests (daemon heap flags ${daemonHeapFlags.join(' ')})`,
  );
  const memory = await measureMemory({
    mockURL: mock.url,
    totalRequests: settings.memoryRequests,
    // Measured as `conduit start`/`conduit code` run it: the daemon the CLI spawns gets these flags.
    nodeFlags: daemonHeapFlags,
    settleMs: settings.settleMs,
  });
  log(`memory with a capped heap (${cappedHeapFlags.join(' ')})`);
  const cappedMemory = await measureMemory({
    mockURL: mock.url,
    totalRequests: Math.round(settings.memoryRequests / 4),
    nodeFlags: cappedHeapFlags,
    settleMs: settings.settleMs,
  });

  const profiles: GatewayProfile[] = [];
  if (withProfile) {
    const overheadScenario = (id: string) =>
      createOverheadScenarios().find(candidate => candidate.id === id) as OverheadScenario;
    // The small c=1 rows whose target is closest (where each request's time goes), then the
    // Claude Code request and a long stream (throughput).
    const profiled: Array<[OverheadScenario, MessagesRequest]> = [
      ...['small/openai/json/c1', 'small/openai/sse/c1', 'small/anthropic/sse/c1'].map(
        (id): [OverheadScenario, MessagesRequest] => [overheadScenario(id), smallRequest],
      ),
      [
        {
          ...overheadScenario('claude-code/openai/sse/c32'),
          id: 'claude-code/openai/sse/c8',
          concurrency: 8,
        },
        claudeCodeRequest,
      ],
      [
        createStreamScenarios().find(
          candidate => candidate.id === 'long/openai/sse/c8',
        ) as OverheadScenario,
        smallRequest,
      ],
    ];
    for (const [scenario, request] of profiled) {
      log(`CPU profile of the gateway: ${scenario.id}`);
      profiles.push(
        await profileGateway({ mockURL: mock.url, scenario, request, durationMs: 4000 }),
      );
    }
  }

  const results: BenchResults = {
    mode: smoke ? 'smoke' : 'full',
    machine,
    loadAverageAtEnd: loadavg().map(value => Math.round(value * 100) / 100),
    durationSeconds: (performance.now() - runStarted) / 1000,
    caveats: [
      `Client, mock upstream and gateway run as three processes on the same ${machine.cores}-core machine: they compete for CPU, so throughput is a lower bound and p99 includes scheduling noise.`,
      `Each overhead and stream row ran ${settings.rounds} round(s), round 1 of every row of a section before round 2 of any (so a slow minute of the machine does not take all of one row's rounds); a round measures direct, Conduit and CCR back to back (the order alternates between rounds) and compares each gateway with that round's direct run. At concurrency 1 a round's ${timing.durationMs} ms per client is cut into ${settings.slicesAtConcurrency1} slices that take turns (direct, Conduit, CCR, then the reverse), so a noisy moment lands on the baseline and the gateways alike. Tables show the median round; a range in parentheses is the lowest and highest round. Conduit ÷ CCR ratios are taken within each round.`,
      "CPU µs/request is the gateway process's main-thread CPU time (from `/proc/<pid>/task/<pid>/schedstat`) over its measured slices, divided by the responses measured: steadier than latency on a loaded machine, and it includes the process's other work in that time (logging, the usage ledger, timers).",
      settings.warmUpSecondsPerShape > 0
        ? `Before the overhead and stream rows, every gateway (CCR included) served each of the ${warmUp.shapes} request shapes for ${settings.warmUpSecondsPerShape} s, so the rows compare warm processes: V8 compiles a Node server's hot path during its first seconds of load. The first of those runs, right after start, is reported under section 1 for reference; cold start is section 6.`
        : 'No warm-up before the overhead rows (smoke mode).',
      'Added latency = gateway median (or p99) minus the direct-to-mock median (or p99), measured with the same undici client; the mock answers from pre-rendered buffers.',
      'The gateway is the built CLI (`conduit start`, foreground) with its defaults: usage ledger on (SQLite in a temporary CONDUIT_HOME), console logging at info. The memory section runs it with the V8 heap flags the CLI gives the daemon it spawns (`--max-semi-space-size=4 --max-old-space-size=512`).',
      'Every request of a run is identical, so the gateway token counter serves repeated texts from its cache, as it does for the tools and system prompt Claude Code resends each turn; the token-counter section gives the uncached cost.',
      smoke
        ? 'Smoke mode: very short runs; the numbers show the harness works, not the performance.'
        : '',
    ].filter(line => line !== ''),
    warmUp,
    overhead: [...overhead.values()],
    streaming: { inProcess: { stateMachine, adapter }, endToEnd: [...endToEnd.values()] },
    tokenCounter: { ...fixtureCounts, growingConversation },
    routing,
    memory,
    cappedHeapMemory: { nodeFlags: cappedHeapFlags, ...cappedMemory },
    coldStart,
    ccr: {
      version: ccrVersion,
      status: ccrStatus,
      note: ccrNote,
      idleMB: ccrIdleMB,
      coldStartMs: ccrColdStart,
    },
    profiles,
    targets: [],
  };
  results.targets = evaluateTargets(results);
  mkdirSync(resultsDirectory, { recursive: true });
  const name = smoke ? 'smoke' : 'latest';
  writeFileSync(join(resultsDirectory, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDirectory, `${name}.md`), renderMarkdown(results));
  log(
    `wrote ${join(resultsDirectory, `${name}.json`)} and ${name}.md in ${results.durationSeconds.toFixed(0)} s`,
  );
  const failedRuns = [...overhead.values(), ...endToEnd.values()].filter(
    result =>
      result.direct.errors > 0 ||
      Object.values(result.gateways).some(gateway => gateway.errors > 0),
  );
  if (failedRuns.length > 0) {
    log(`${failedRuns.length} scenario(s) had errors; see the results file`);
  }
  const conduitFailed = failedRuns.some(
    result => result.direct.errors > 0 || (result.gateways.conduit?.errors ?? 0) > 0,
  );
  if (conduitFailed || memory.errors > 0) process.exitCode = 1;
} finally {
  await stopAll();
}
