/**
 * What a fleet limit check adds to a request: one `acquire` (check every scope and count) plus one
 * `settle` (token correction, lease release, spend), in process and against Redis.
 * Run: pnpm --filter @conduit/bench run limiter [--quick]   (Redis from CONDUIT_TEST_REDIS_URL or
 * REDIS_URL; the Redis row is skipped without one). Writes bench/results/limiter.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  computeWindows,
  type LimitBackend,
  type LimitScope,
  LocalLimitBackend,
  RedisLimitBackend,
} from '@conduit/conduit/fleet';
import Redis from 'ioredis';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const runs = quick ? 500 : 5000;

/** A key with every limit, in a project with a budget, under a global rpm: four scopes. */
const scopes: LimitScope[] = [
  {
    id: `key:bench-${randomUUID()}`,
    limits: { rpm: 1e9, tpm: 1e12, concurrency: 1e6, budgetDaily: 1e6 },
  },
  { id: `project:bench-${randomUUID()}`, limits: { budgetDaily: 1e6, budgetMonthly: 1e7 } },
  { id: `agent:bench-${randomUUID()}`, limits: { concurrency: 1e6 } },
  { id: `global-bench-${randomUUID()}`, limits: { rpm: 1e9 } },
];

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

async function measure(backend: LimitBackend) {
  const acquire: number[] = [];
  const settle: number[] = [];
  for (let run = 0; run < runs + 50; run++) {
    const windows = computeWindows(Date.now(), 60_000);
    const ticketId = randomUUID();
    const started = performance.now();
    const result = await backend.acquire({
      scopes,
      ticketId,
      estimatedTokens: 1200,
      windows,
      leaseMs: 600_000,
    });
    const acquired = performance.now();
    if (!result.allowed) throw new Error(`bench request refused: ${result.reason}`);
    await backend.settle({ scopes, ticketId, windows, tokenDelta: -200, costMicros: 3000 });
    const settled = performance.now();
    if (run < 50) continue; // warm-up
    acquire.push(acquired - started);
    settle.push(settled - acquired);
  }
  const total = acquire.map((value, index) => value + settle[index]!);
  return {
    backend: backend.kind,
    runs,
    acquireP50Ms: percentile(acquire, 0.5),
    acquireP99Ms: percentile(acquire, 0.99),
    settleP50Ms: percentile(settle, 0.5),
    totalP50Ms: percentile(total, 0.5),
    totalP99Ms: percentile(total, 0.99),
  };
}

const results = [await measure(new LocalLimitBackend())];
const redisURL = process.env.CONDUIT_TEST_REDIS_URL || process.env.REDIS_URL;
if (redisURL) {
  const redis = new Redis(redisURL);
  try {
    results.push(await measure(new RedisLimitBackend(redis, `conduit-bench:${randomUUID()}:`)));
  } finally {
    await redis.quit();
  }
} else {
  process.stderr.write('limiter bench: no CONDUIT_TEST_REDIS_URL/REDIS_URL; Redis row skipped\n');
}

const rounded = (value: number) => Math.round(value * 1000) / 1000;
console.log(`fleet limit check, ${scopes.length} scopes per request, ${runs} runs`);
console.log('backend  acquire p50  acquire p99  settle p50  total p50  total p99  (ms)');
for (const row of results) {
  console.log(
    [
      row.backend.padEnd(7),
      ...[row.acquireP50Ms, row.acquireP99Ms, row.settleP50Ms, row.totalP50Ms, row.totalP99Ms].map(
        value => String(rounded(value)).padStart(11),
      ),
    ].join(' '),
  );
}
const output = resolve(here, '../results/limiter.json');
mkdirSync(dirname(output), { recursive: true });
writeFileSync(
  output,
  `${JSON.stringify({ machine: `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}`, node: process.version, date: new Date().toISOString(), results: results.map(row => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? rounded(v) : v]))) }, null, 2)}\n`,
);
console.log(`wrote ${join('bench/results', 'limiter.json')}`);
