/**
 * `node --conditions=@conduit/source --import tsx src/hot-path/compare-builds.ts <cli.js A>
 * <cli.js B> [rounds=6] [seconds=1.5]`: two builds of the CLI (say, before and after a change)
 * measured alternately against one mock upstream, so both see the same machine load. Both gateways
 * start once and serve each scenario for `WARM` seconds (5 by default) before anything counts.
 * Per round and scenario: direct, then A and B back to back (the order alternates by round).
 * Prints the medians over rounds (lowest–highest in brackets) of the added median latency, req/s
 * as a share of direct, the gateway's CPU time per request (main thread, and all threads, from the
 * threads' `schedstat` in `/proc`: steadier than wall time on a loaded machine), the per-round
 * B − A differences and the peak RSS. `SCENARIOS` takes overhead and stream scenario ids;
 * `NODE_FLAGS_A`/`NODE_FLAGS_B` give one side node flags (the same build twice compares flags).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveFixturesDirectory } from '../lib/bench-paths.js';
import { type RunningServer, createBenchProviders, startMockProcess } from '../lib/gateways.js';
import {
  findFreePort,
  readResidentMemory,
  readThreadCPU,
  startProcess,
  waitForHTTP200,
} from '../lib/processes.js';
import { createSmallRequest, readClaudeCodeRequest } from '../sections/bench-requests.js';
import {
  type OverheadScenario,
  createOverheadScenarios,
  createStreamScenarios,
  runDirect,
  runThroughGateway,
} from '../sections/overhead.js';

const [cliA, cliB, roundsText = '6', secondsText = '1.5'] = process.argv
  .slice(2)
  .map((argument, index) => (index < 2 ? resolve(argument) : argument));
if (!cliA || !cliB) throw new Error('usage: compare-builds.ts <cli.js A> <cli.js B> [rounds] [s]');
const wanted = (process.env.SCENARIOS ?? 'small/anthropic/json/c1,claude-code/openai/json/c1')
  .split(',')
  .filter(Boolean);
const scenarios = [...createOverheadScenarios(), ...createStreamScenarios()].filter(scenario =>
  wanted.includes(scenario.id),
);
const warmSeconds = Number(process.env.WARM ?? '5');
/** Node flags for one side (`NODE_FLAGS_A`, `NODE_FLAGS_B`: space-separated), e.g. heap settings. */
const flagsOf = (name: string) => (process.env[name] ?? '').split(' ').filter(Boolean);
const smallRequest = createSmallRequest();
const claudeCodeRequest = readClaudeCodeRequest(resolveFixturesDirectory());
const timing = { warmupMs: 300, durationMs: Number(secondsText) * 1000 };
const log = (line: string) => process.stderr.write(`[compare] ${line}\n`);

async function startBuild(
  cli: string,
  mockURL: string,
  nodeFlags: string[],
): Promise<RunningServer & { pid: number }> {
  const home = mkdtempSync(join(tmpdir(), 'conduit-compare-home-'));
  writeFileSync(
    join(home, 'config.json'),
    JSON.stringify({
      Providers: createBenchProviders(mockURL),
      Router: { default: 'mock-openai,mock-model' },
    }),
  );
  const port = await findFreePort();
  const started = performance.now();
  const child = startProcess(
    process.execPath,
    [...nodeFlags, cli, 'start', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: home, env: { ...process.env, CONDUIT_HOME: home, HOME: home, NODE_ENV: 'production' } },
  );
  const url = `http://127.0.0.1:${port}`;
  const readyMs = await waitForHTTP200(`${url}/health`, {
    since: started,
    timeoutMs: 30_000,
    process: child,
  });
  return {
    name: cli,
    url,
    process: child,
    readyMs,
    pid: child.child.pid ?? 0,
    stop: async () => {
      await child.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
type Samples = {
  added: number[];
  rps: number[];
  peakMB: number[];
  mainCPU: number[];
  allCPU: number[];
};

const results = new Map<string, Samples>();
const sample = (key: string) => {
  const entry = results.get(key) ?? { added: [], rps: [], peakMB: [], mainCPU: [], allCPU: [] };
  results.set(key, entry);
  return entry;
};
const requestFor = (scenario: OverheadScenario) =>
  scenario.body === 'small' ? smallRequest : claudeCodeRequest;

const mock = await startMockProcess();
const gateways: Array<RunningServer & { pid: number; label: 'A' | 'B' }> = [];
try {
  gateways.push({ ...(await startBuild(cliA, mock.url, flagsOf('NODE_FLAGS_A'))), label: 'A' });
  gateways.push({ ...(await startBuild(cliB, mock.url, flagsOf('NODE_FLAGS_B'))), label: 'B' });
  // Both builds stay up for the whole comparison and are warmed first: a fresh process spends its
  // first seconds in V8's compilers (880 µs of CPU per small request against ~400 when warm).
  for (const scenario of scenarios) {
    for (const gateway of gateways) {
      log(`warm-up ${warmSeconds} s: ${gateway.label} ${scenario.id}`);
      await runThroughGateway(scenario, requestFor(scenario), gateway.url, {
        warmupMs: warmSeconds * 1000,
        durationMs: 1,
      });
    }
  }
  for (let round = 0; round < Number(roundsText); round++) {
    const order = round % 2 === 0 ? gateways : [...gateways].reverse();
    for (const scenario of scenarios) {
      const request = requestFor(scenario);
      const direct = await runDirect(scenario, request, mock.url, timing);
      for (const gateway of order) {
        const cpuBefore = readThreadCPU(gateway.pid);
        const through = await runThroughGateway(scenario, request, gateway.url, timing);
        const cpuAfter = readThreadCPU(gateway.pid);
        const entry = sample(`${scenario.id} ${gateway.label}`);
        // Warm-up requests are not counted in `through.requests`, so this slightly overstates.
        const perRequest = (nanoseconds: number) => nanoseconds / 1e6 / through.requests;
        entry.mainCPU.push(perRequest(cpuAfter.mainNs - cpuBefore.mainNs));
        entry.allCPU.push(perRequest(cpuAfter.allNs - cpuBefore.allNs));
        entry.added.push(through.medianMs - direct.medianMs);
        entry.rps.push(through.requestsPerSecond / direct.requestsPerSecond);
        if (through.errors > 0)
          log(`${scenario.id}: ${through.errors} errors: ${through.firstError}`);
        log(
          `round ${round + 1} ${gateway.label} ${scenario.id}: +${(through.medianMs - direct.medianMs).toFixed(3)} ms, ${((cpuAfter.mainNs - cpuBefore.mainNs) / 1e3 / through.requests) | 0} µs CPU/request (main)`,
        );
      }
    }
  }
  for (const gateway of gateways) {
    sample(`peak RSS ${gateway.label}`).peakMB.push(readResidentMemory(gateway.pid).peakMB);
  }
} finally {
  for (const gateway of gateways) await gateway.stop().catch(() => undefined);
  await mock.stop();
}
process.stdout.write(`A = ${cliA}\nB = ${cliB}\n`);
const spread = (values: number[]) =>
  `${median(values).toFixed(3)} [${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}]`;
for (const [key, entry] of [...results].sort(([left], [right]) => left.localeCompare(right))) {
  process.stdout.write(
    entry.peakMB.length > 0
      ? `${key}: peak RSS MB ${spread(entry.peakMB)}\n`
      : `${key}: added median ms ${spread(entry.added)}, ×direct req/s ${spread(entry.rps)}, CPU ms/request main ${spread(entry.mainCPU)} all ${spread(entry.allCPU)}\n`,
  );
}
// Paired by round (A and B ran back to back), the difference is steadier than either side.
for (const scenario of scenarios) {
  const a = results.get(`${scenario.id} A`);
  const b = results.get(`${scenario.id} B`);
  if (!a || !b) continue;
  const paired = (left: number[], right: number[]) =>
    spread(left.map((value, index) => (right[index] ?? Number.NaN) - value));
  process.stdout.write(
    `${scenario.id} B−A per round: added ms ${paired(a.added, b.added)}, CPU ms/request main ${paired(a.mainCPU, b.mainCPU)}\n`,
  );
}
