/**
 * `pnpm --filter @conduit/bench streaming`: only the streaming section of `pnpm bench` (in-process
 * translation and the end-to-end streams through the gateway), for quick iterations on the
 * streaming code. Prints to stderr and writes nothing.
 *
 * Options:
 *   --runs N          rounds (default 3); each round measures every scenario direct and through
 *                     every CLI, so runs of different builds alternate and share the noise
 *   --duration MS     timed window of each run (default 2000; 500 ms warm-up first)
 *   --cli PATH        a built CLI entry to measure (repeatable; default apps/cli/dist/cli.js),
 *                     e.g. a copy of the baseline build next to the current one
 *   --scenario ID     only this end-to-end scenario (repeatable), e.g. long/openai/sse/c8
 *   --no-in-process   skip the in-process translation
 *   --profile         also profile the first CLI on each selected scenario and print the top frames
 *   --keep-profiles DIR  copy the .cpuprofile files there
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { cliEntry } from './lib/bench-paths.js';
import { ensureCLIBuilt, startConduit, startMockProcess } from './lib/gateways.js';
import { median } from './lib/statistics.js';
import { createSmallRequest } from './sections/bench-requests.js';
import { createProfileDirectory, summarizeCPUProfile } from './sections/cpu-profile.js';
import {
  type RunNumbers,
  createStreamScenarios,
  runDirect,
  runThroughGateway,
} from './sections/overhead.js';
import { measureAdapterStream, measureStreamState } from './sections/stream-translation.js';

const argv = process.argv.slice(2).filter(argument => argument !== '--');
const clis: string[] = [];
const onlyScenarios: string[] = [];
let runs = 3;
let durationMs = 2000;
let inProcess = true;
let profile = false;
let keepProfiles: string | undefined;
for (let index = 0; index < argv.length; index++) {
  const argument = argv[index];
  const value = () => {
    const next = argv[++index];
    if (next === undefined) throw new Error(`${argument} needs a value`);
    return next;
  };
  if (argument === '--runs') runs = Number(value());
  else if (argument === '--duration') durationMs = Number(value());
  else if (argument === '--cli') clis.push(resolve(value()));
  else if (argument === '--scenario') onlyScenarios.push(value());
  else if (argument === '--no-in-process') inProcess = false;
  else if (argument === '--profile') profile = true;
  else if (argument === '--keep-profiles') keepProfiles = resolve(value());
  else {
    process.stderr.write(
      `unknown option ${argument}; see the comment at the top of ${import.meta.url}\n`,
    );
    process.exit(2);
  }
}
/** CPU time (user + system) a process has used, in ms, from `/proc/<pid>/stat`. */
function readCPUMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const log = (line: string) => process.stderr.write(`[streaming] ${line}\n`);
if (clis.length === 0) {
  ensureCLIBuilt({ log });
  clis.push(cliEntry);
}
const load = () =>
  loadavg()
    .map(value => value.toFixed(2))
    .join(' ');

if (inProcess) {
  const state = measureStreamState(durationMs);
  const adapter = await measureAdapterStream(durationMs);
  log(
    `in process: state machine ${state.perStreamMs.toFixed(3)} ms/stream, adapter ${adapter.perStreamMs.toFixed(3)} ms/stream (${adapter.upstreamChunksPerStream} chunks, ${adapter.eventsPerStream} events)`,
  );
}

const scenarios = createStreamScenarios().filter(
  scenario => onlyScenarios.length === 0 || onlyScenarios.includes(scenario.id),
);
const request = createSmallRequest();
const timing = { warmupMs: 500, durationMs };
const mock = await startMockProcess();
/** ratios[cli][scenario] = one gateway ÷ direct ratio per round. */
const ratios = clis.map(() => new Map<string, number[]>());
const rates = clis.map(() => new Map<string, number[]>());
/** Gateway CPU ms per stream: less sensitive to the machine's other load than the ratio. */
const cpuPerStream = clis.map(() => new Map<string, number[]>());
try {
  log(`load average at start: ${load()}`);
  for (let round = 0; round < runs; round++) {
    // Alternate the order of the builds too, so neither always runs first.
    const order = clis.map((_, index) => index);
    if (round % 2 === 1) order.reverse();
    for (const cliIndex of order) {
      const gateway = await startConduit({ mockURL: mock.url, cliEntry: clis[cliIndex] });
      try {
        for (const scenario of scenarios) {
          const direct: RunNumbers = await runDirect(scenario, request, mock.url, timing);
          // Warm up first, then time the run alone, so the gateway's CPU time covers only it.
          await runThroughGateway(scenario, request, gateway.url, { warmupMs: 0, durationMs: 500 });
          const cpuBefore = readCPUMs(gateway.process.pid);
          const through = await runThroughGateway(scenario, request, gateway.url, {
            warmupMs: 0,
            durationMs,
          });
          const cpuMs = (readCPUMs(gateway.process.pid) - cpuBefore) / through.requests;
          const ratio = through.requestsPerSecond / direct.requestsPerSecond;
          const push = (map: Map<string, number[]>, number: number) =>
            map.set(scenario.id, [...(map.get(scenario.id) ?? []), number]);
          push(ratios[cliIndex] as Map<string, number[]>, ratio);
          push(rates[cliIndex] as Map<string, number[]>, through.requestsPerSecond);
          push(cpuPerStream[cliIndex] as Map<string, number[]>, cpuMs);
          const errors = through.errors ? ` ${through.errors} errors: ${through.firstError}` : '';
          log(
            `round ${round + 1} cli ${cliIndex} ${scenario.id}: ${through.requestsPerSecond.toFixed(1)} streams/s vs direct ${direct.requestsPerSecond.toFixed(1)} = ${ratio.toFixed(3)}×, gateway CPU ${cpuMs.toFixed(2)} ms/stream (load ${load()})${errors}`,
          );
        }
      } finally {
        await gateway.stop();
      }
    }
  }
  for (const [cliIndex, cli] of clis.entries()) {
    log(`cli ${cliIndex}: ${cli}`);
    for (const scenario of scenarios) {
      const values = ratios[cliIndex]?.get(scenario.id) ?? [];
      const streams = rates[cliIndex]?.get(scenario.id) ?? [];
      const cpu = cpuPerStream[cliIndex]?.get(scenario.id) ?? [];
      log(
        `  ${scenario.id}: median ${median(values).toFixed(3)}× direct (runs ${values.map(value => value.toFixed(3)).join(', ')}), median ${median(streams).toFixed(1)} streams/s, gateway CPU median ${median(cpu).toFixed(2)} ms/stream (runs ${cpu.map(value => value.toFixed(2)).join(', ')})`,
      );
    }
  }
  if (profile) {
    for (const scenario of scenarios) {
      const directory = createProfileDirectory();
      try {
        const gateway = await startConduit({
          mockURL: mock.url,
          cliEntry: clis[0],
          nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory.directory}`],
        });
        let requests = 0;
        try {
          requests = (await runThroughGateway(scenario, request, gateway.url, timing)).requests;
        } finally {
          await gateway.stop();
        }
        log(`profile of cli 0 on ${scenario.id} (${requests} streams), top self time:`);
        for (const entry of summarizeCPUProfile(directory.read(), 25)) {
          log(
            `  ${entry.selfMs.toFixed(0).padStart(6)} ms ${entry.selfPercent.toFixed(1).padStart(5)}%  ${entry.function}`,
          );
        }
        if (keepProfiles) {
          mkdirSync(keepProfiles, { recursive: true });
          const file = join(keepProfiles, `${scenario.id.replaceAll('/', '-')}.cpuprofile`);
          writeFileSync(file, JSON.stringify(directory.read()));
          log(`  kept ${file}`);
        }
      } finally {
        directory.remove();
      }
    }
  }
  log(`load average at end: ${load()}`);
} finally {
  await mock.stop();
}
