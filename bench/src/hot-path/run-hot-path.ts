/**
 * `pnpm --filter @conduit/bench hot-path [-- --rounds N]`: a focused, repeatable measure of the
 * server's hot path from source (no CLI build): the in-process OpenAI adapter stream, the long
 * streams end to end, and the small / Claude Code requests' added latency. Each round measures
 * direct and through the gateway back to back; the report gives the median over rounds of each
 * ratio (gateway ÷ direct, same round), which is steadier than absolute numbers on a shared machine.
 */
import { join } from 'node:path';
import { benchDirectory, resolveFixturesDirectory, sourceNodeFlags } from '../lib/bench-paths.js';
import { type RunningServer, startMockProcess } from '../lib/gateways.js';
import { readFirstJSONLine, startProcess } from '../lib/processes.js';
import { createSmallRequest, readClaudeCodeRequest } from '../sections/bench-requests.js';
import {
  type OverheadResult,
  type OverheadScenario,
  createOverheadScenarios,
  createStreamScenarios,
  runScenarioMatrix,
} from '../sections/overhead.js';
import { measureAdapterStream } from '../sections/stream-translation.js';

const argv = process.argv.slice(2);
const roundsIndex = argv.indexOf('--rounds');
const rounds = roundsIndex >= 0 ? Number(argv[roundsIndex + 1]) : 3;
const log = (line: string) => process.stderr.write(`[hot-path] ${line}\n`);

const wanted = new Set([
  'long/openai/sse/c1',
  'long/openai/sse/c8',
  'long/anthropic/sse/c8',
  'small/openai/json/c1',
  'small/openai/sse/c1',
  'small/anthropic/json/c1',
  'small/anthropic/sse/c1',
  'claude-code/openai/sse/c1',
]);
const scenarios = [...createStreamScenarios(), ...createOverheadScenarios()].filter(scenario =>
  wanted.has(scenario.id),
);
const smallRequest = createSmallRequest();
const claudeCodeRequest = readClaudeCodeRequest(resolveFixturesDirectory());
const requestFor = (scenario: OverheadScenario) =>
  scenario.body === 'small' ? smallRequest : claudeCodeRequest;

async function startSourceGateway(mockURL: string): Promise<RunningServer> {
  const child = startProcess(
    process.execPath,
    [...sourceNodeFlags, join(benchDirectory, 'src/hot-path/source-gateway-process.ts'), mockURL],
    { cwd: benchDirectory, stdin: 'pipe' },
  );
  const { port } = await readFirstJSONLine<{ port: number }>(child.child, 60_000);
  return {
    name: 'conduit',
    url: `http://127.0.0.1:${port}`,
    process: child,
    readyMs: 0,
    stop: async () => {
      await child.stop();
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const adapterMs: number[] = [];
const perScenario = new Map<string, { ratio: number[]; added: number[]; gatewayRPS: number[] }>();
const mock = await startMockProcess();
const gateway = await startSourceGateway(mock.url);
try {
  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    adapterMs.push((await measureAdapterStream(1500)).perStreamMs);
    const results = new Map<string, OverheadResult>();
    await runScenarioMatrix({
      scenarios,
      gateways: [gateway],
      results,
      mockURL: mock.url,
      timing: { warmupMs: 300, durationMs: 1500 },
      requestFor,
      log,
    });
    for (const [id, result] of results) {
      const conduit = result.gateways.conduit;
      if (!conduit) continue;
      const entry = perScenario.get(id) ?? { ratio: [], added: [], gatewayRPS: [] };
      entry.ratio.push(conduit.throughputRatio);
      entry.added.push(conduit.addedMedianMs);
      entry.gatewayRPS.push(conduit.requestsPerSecond);
      perScenario.set(id, entry);
    }
  }
} finally {
  await gateway.stop();
  await mock.stop();
}

const lines = [
  `in-process OpenAI adapter, long stream: ${median(adapterMs).toFixed(2)} ms per stream (median of ${rounds} rounds)`,
  '',
  '| scenario | Conduit req/s | Conduit ÷ direct | Conduit +median ms |',
  '| --- | ---: | ---: | ---: |',
  ...[...perScenario].map(
    ([id, entry]) =>
      `| ${id} | ${median(entry.gatewayRPS).toFixed(1)} | ${median(entry.ratio).toFixed(3)} | ${median(entry.added).toFixed(3)} |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
