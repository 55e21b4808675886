/**
 * Core micro-benchmarks: token counter cold/warm on the Claude Code fixtures, and `route()` latency.
 * Run: node --conditions=@conduit/source --import tsx bench/src/core-bench.ts [--quick]
 * Prints a table and writes bench/results/core.json.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConduitRouter, getDefaultTokenCounter, TokenCounter } from '@conduit/core';

const here = dirname(fileURLToPath(import.meta.url));
const repositoryRoot = resolve(here, '../..');
const fixturesDirectory = resolve(repositoryRoot, 'packages/test-utils/fixtures/claude-code');
const quick = process.argv.includes('--quick');
const coldRuns = quick ? 5 : 25;
const warmRuns = quick ? 50 : 500;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

/** Each run gets a freshly parsed body, as a server would, so nothing is shared by object identity. */
function time(runs: number, prepare: () => unknown, measure: (input: unknown) => void): number[] {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const input = prepare();
    const started = performance.now();
    measure(input);
    samples.push(performance.now() - started);
  }
  return samples;
}

const fixtureNames = readdirSync(fixturesDirectory)
  .filter(name => name.endsWith('-messages.json') || name.endsWith('-count_tokens.json'))
  .sort((left, right) =>
    left.startsWith('cc-hi-01') ? -1 : right.startsWith('cc-hi-01') ? 1 : left.localeCompare(right),
  );

const encoderLoadStarted = performance.now();
getDefaultTokenCounter().warmUp();
const encoderLoadMs = performance.now() - encoderLoadStarted;

interface FixtureResult {
  fixture: string;
  bytes: number;
  tokens: number;
  coldMedianMs: number;
  warmMedianMs: number;
  warmP99Ms: number;
}

const tokenResults: FixtureResult[] = [];
for (const name of fixtureNames) {
  const text = readFileSync(join(fixturesDirectory, name), 'utf8');
  const parse = () => JSON.parse(text);
  const tokens = new TokenCounter().countRequest(parse());
  const cold = time(coldRuns, parse, request => new TokenCounter().countRequest(request as never));
  const warmCounter = new TokenCounter();
  warmCounter.countRequest(parse());
  const warm = time(warmRuns, parse, request => warmCounter.countRequest(request as never));
  tokenResults.push({
    fixture: name,
    bytes: Buffer.byteLength(JSON.stringify(JSON.parse(text))),
    tokens,
    coldMedianMs: median(cold),
    warmMedianMs: median(warm),
    warmP99Ms: percentile(warm, 0.99),
  });
}

const routerConfig = {
  Providers: [
    {
      name: 'anthropic',
      api_base_url: 'https://api.anthropic.com/v1/messages',
      api_key: 'sk-test',
      models: ['claude-opus-4-8', 'claude-haiku-4-5-20251001'],
    },
    {
      name: 'deepseek',
      api_base_url: 'https://api.deepseek.com/chat/completions',
      api_key: 'sk-test',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
  ],
  Router: {
    default: 'anthropic,claude-opus-4-8',
    background: 'anthropic,claude-haiku-4-5-20251001',
    think: 'deepseek,deepseek-reasoner',
    longContext: 'deepseek,deepseek-chat',
    customRules: [
      {
        name: 'coding',
        route: 'deepseek,deepseek-chat',
        conditions: [{ field: 'metadata.agentType', operator: 'eq' as const, value: 'coding' }],
      },
    ],
  },
};
const router = createConduitRouter(routerConfig, { tokenCounter: new TokenCounter() });
await router.initialize();
const routeText = readFileSync(join(fixturesDirectory, 'cc-hi-01-messages.json'), 'utf8');
await router.route({ request: JSON.parse(routeText) });
const routeSamples: number[] = [];
for (let run = 0; run < warmRuns; run++) {
  const request = JSON.parse(routeText);
  const started = performance.now();
  await router.route({ request });
  routeSamples.push(performance.now() - started);
}
const smallSamples: number[] = [];
for (let run = 0; run < warmRuns; run++) {
  const request = {
    model: 'claude-opus-4-8',
    max_tokens: 100,
    messages: [{ role: 'user', content: `hello ${run}` }],
  };
  const started = performance.now();
  await router.route({ request: request as never });
  smallSamples.push(performance.now() - started);
}

const hostileStarted = performance.now();
const hostileTokens = new TokenCounter().countText('a'.repeat(100_000));
const hostileMs = performance.now() - hostileStarted;
const hostileEStarted = performance.now();
new TokenCounter().countText('é'.repeat(200_000));
const hostileEMs = performance.now() - hostileEStarted;

const format = (value: number) => value.toFixed(3);
console.log(`encoder load (once per process): ${encoderLoadMs.toFixed(1)} ms`);
console.log('');
console.log('| fixture | KB | tokens | cold median ms | warm median ms | warm p99 ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const result of tokenResults) {
  console.log(
    `| ${result.fixture} | ${(result.bytes / 1024).toFixed(1)} | ${result.tokens} | ${format(result.coldMedianMs)} | ${format(result.warmMedianMs)} | ${format(result.warmP99Ms)} |`,
  );
}
console.log('');
console.log(
  `route() cc-hi-01 (warm cache): median ${format(median(routeSamples))} ms, p99 ${format(percentile(routeSamples, 0.99))} ms`,
);
console.log(
  `route() small request: median ${format(median(smallSamples))} ms, p99 ${format(percentile(smallSamples, 0.99))} ms`,
);
console.log(
  `hostile: 100k "a" ${hostileMs.toFixed(1)} ms (${hostileTokens} tokens), 200k "é" ${hostileEMs.toFixed(1)} ms`,
);

const results = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  runs: { cold: coldRuns, warm: warmRuns },
  encoderLoadMs,
  tokenCounter: tokenResults,
  route: {
    claudeCodeRequest: {
      fixture: 'cc-hi-01-messages.json',
      medianMs: median(routeSamples),
      p99Ms: percentile(routeSamples, 0.99),
    },
    smallRequest: { medianMs: median(smallSamples), p99Ms: percentile(smallSamples, 0.99) },
  },
  hostile: { repeatedCharacter100kMs: hostileMs, accentedE200kMs: hostileEMs },
};
const resultsDirectory = join(repositoryRoot, 'bench/results');
mkdirSync(resultsDirectory, { recursive: true });
writeFileSync(join(resultsDirectory, 'core.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${join(resultsDirectory, 'core.json')}`);
