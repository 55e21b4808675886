/**
 * `node --conditions=@conduit/source --import tsx src/hot-path/compare-builds.ts <cli.js A>
 * <cli.js B> [rounds] [seconds]`: two builds of the CLI (say, before and after a change) measured
 * alternately against one mock upstream, so both see the same machine load. Per round and build:
 * each scenario direct then through the gateway; the gateway's peak RSS at the end. Prints the
 * medians over rounds of the added median latency, the gateway's req/s, its CPU time per request
 * (main thread, and all threads, from the threads' `schedstat` in `/proc`: steadier than wall time on a
 * loaded machine) and the peak RSS.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveFixturesDirectory } from '../lib/bench-paths.js';
import { type RunningServer, createBenchProviders, startMockProcess } from '../lib/gateways.js';
import {
  findFreePort,
  readResidentMemory,
  startProcess,
  waitForHTTP200,
} from '../lib/processes.js';
import { createSmallRequest, readClaudeCodeRequest } from '../sections/bench-requests.js';
import { createOverheadScenarios, runDirect, runThroughGateway } from '../sections/overhead.js';

const [cliA, cliB, roundsText = '3', secondsText = '2'] = process.argv
  .slice(2)
  .map((argument, index) => (index < 2 ? resolve(argument) : argument));
if (!cliA || !cliB) throw new Error('usage: compare-builds.ts <cli.js A> <cli.js B> [rounds] [s]');
const wanted = (process.env.SCENARIOS ?? 'small/anthropic/json/c1,claude-code/openai/json/c1')
  .split(',')
  .filter(Boolean);
const scenarios = createOverheadScenarios().filter(scenario => wanted.includes(scenario.id));
const smallRequest = createSmallRequest();
const claudeCodeRequest = readClaudeCodeRequest(resolveFixturesDirectory());
const timing = { warmupMs: 300, durationMs: Number(secondsText) * 1000 };
const log = (line: string) => process.stderr.write(`[compare] ${line}\n`);

async function startBuild(cli: string, mockURL: string): Promise<RunningServer & { pid: number }> {
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
    [cli, 'start', '--port', String(port), '--host', '127.0.0.1'],
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

/** Nanoseconds on CPU of the process's main thread and of all its threads. */
function readCPUNanoseconds(pid: number): { main: number; all: number } {
  const ofTask = (task: string) =>
    Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
  let all = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      all += ofTask(task);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { main: ofTask(String(pid)), all };
}
const results = new Map<string, Samples>();
const sample = (key: string) => {
  const entry = results.get(key) ?? { added: [], rps: [], peakMB: [], mainCPU: [], allCPU: [] };
  results.set(key, entry);
  return entry;
};

const mock = await startMockProcess();
try {
  for (let round = 0; round < Number(roundsText); round++) {
    const order = round % 2 === 0 ? [cliA, cliB] : [cliB, cliA];
    for (const cli of order) {
      log(`round ${round + 1}: ${cli}`);
      const gateway = await startBuild(cli, mock.url);
      try {
        for (const scenario of scenarios) {
          const request = scenario.body === 'small' ? smallRequest : claudeCodeRequest;
          const direct = await runDirect(scenario, request, mock.url, timing);
          const cpuBefore = readCPUNanoseconds(gateway.pid);
          const through = await runThroughGateway(scenario, request, gateway.url, timing);
          const cpuAfter = readCPUNanoseconds(gateway.pid);
          const entry = sample(`${scenario.id} ${cli === cliA ? 'A' : 'B'}`);
          // Warm-up requests are not counted in `through.requests`, so this slightly overstates.
          const perRequest = (nanoseconds: number) => nanoseconds / 1e6 / through.requests;
          entry.mainCPU.push(perRequest(cpuAfter.main - cpuBefore.main));
          entry.allCPU.push(perRequest(cpuAfter.all - cpuBefore.all));
          entry.added.push(through.medianMs - direct.medianMs);
          entry.rps.push(through.requestsPerSecond);
          if (through.errors > 0) log(`${scenario.id}: ${through.errors} errors`);
        }
        sample(`peak RSS ${cli === cliA ? 'A' : 'B'}`).peakMB.push(
          readResidentMemory(gateway.pid).peakMB,
        );
      } finally {
        await gateway.stop();
      }
    }
  }
} finally {
  await mock.stop();
}
process.stdout.write(`A = ${cliA}\nB = ${cliB}\n`);
for (const [key, entry] of [...results].sort(([left], [right]) => left.localeCompare(right))) {
  const spread = (values: number[]) =>
    `${median(values).toFixed(2)} [${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}]`;
  process.stdout.write(
    entry.peakMB.length > 0
      ? `${key}: peak RSS MB ${spread(entry.peakMB)}\n`
      : `${key}: added median ms ${spread(entry.added)}, req/s ${spread(entry.rps)}, CPU ms/request main ${spread(entry.mainCPU)} all ${spread(entry.allCPU)}\n`,
  );
}
