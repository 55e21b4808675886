/**
 * Gateway load test: thousands of `/v1/messages` requests (half streamed), dozens at a time,
 * through a real Conduit server to two mock upstreams on 127.0.0.1 that inject faults (500s, 429s
 * with `retry-after: 0`, connection resets, streams cut before the first byte). The primary has a
 * key pool and a fallback target. Checks: no gateway-made 5xx (failures Conduit itself caused, as
 * opposed to upstream failures that survived every retry and fallback), no hangs (each request
 * finishes within its deadline), and memory that does not grow (sampled before, during, after GC).
 *
 * Run: node --expose-gc --conditions=@conduit/source --import tsx bench/src/load-test.ts \
 *        [--requests 5000] [--concurrency 32]
 * Prints a table and writes bench/results/load.json; exits 1 when a check fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConduitConfigInput } from '@conduit/core';
// The whole gateway (ledger, metrics, plugins), as the bench measured before the server was split.
import { createConduit as createConduitServer } from '@conduit/conduit';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = resolve(here, '../results/load.json');

function readFlag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} needs a positive integer, got "${process.argv[index + 1]}"`);
  }
  return value;
}

const requestCount = readFlag('requests', 5000);
const concurrency = readFlag('concurrency', 32);
/** A request still running after this is a hang. */
const requestDeadlineMs = 30_000;
const faultShares = { serverError: 0.05, rateLimited: 0.02, reset: 0.01, cutBeforeFirstByte: 0.01 };

type Fault = keyof typeof faultShares | 'none';

/** Mock OpenAI-compatible upstream with random faults; counts what it did. */
async function startFaultyUpstream(name: string) {
  const counts: Record<Fault, number> = {
    none: 0,
    serverError: 0,
    rateLimited: 0,
    reset: 0,
    cutBeforeFirstByte: 0,
  };
  const pickFault = (): Fault => {
    let draw = Math.random();
    for (const [fault, share] of Object.entries(faultShares) as Array<[Fault, number]>) {
      if (draw < share) return fault;
      draw -= share;
    }
    return 'none';
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const stream = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { stream?: boolean })
      .stream;
    const fault = pickFault();
    counts[fault]++;
    if (fault === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault === 'serverError' || fault === 'rateLimited') {
      const status = fault === 'serverError' ? 500 : 429;
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 429 ? { 'retry-after': '0' } : {}),
      });
      response.end(JSON.stringify({ error: { message: `${name} injected ${status}` } }));
      return;
    }
    if (fault === 'cutBeforeFirstByte') {
      response.writeHead(200, {
        'content-type': stream ? 'text/event-stream' : 'application/json',
      });
      response.flushHeaders();
      setImmediate(() => response.socket?.destroy());
      return;
    }
    if (!stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-load',
          object: 'chat.completion',
          created: 1,
          model: 'm',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `hello from ${name}` },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const frame = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    response.write(frame({ role: 'assistant', content: '' }));
    for (let index = 0; index < 8; index++) response.write(frame({ content: `piece ${index} ` }));
    response.write(frame({}, 'stop'));
    response.end(
      `data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } })}\n\ndata: [DONE]\n\n`,
    );
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/chat/completions`,
    counts,
    close: () =>
      new Promise<void>(done => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

type Outcome =
  | 'ok'
  | 'stream-error-event'
  | 'upstream-caused-error'
  | 'gateway-made-5xx'
  | 'client-error-4xx'
  | 'hang';

/** Failures an upstream caused (what survived retries and fallbacks) carry these messages. */
const upstreamCausedMessage =
  /^(Provider "|Could not reach provider|No route can serve this request|Every API key of provider)/;

async function sendOne(
  baseURL: string,
  index: number,
): Promise<{ outcome: Outcome; status: number }> {
  const stream = index % 2 === 0;
  const signal = AbortSignal.timeout(requestDeadlineMs);
  try {
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        stream,
        messages: [{ role: 'user', content: `load request ${index}` }],
      }),
      signal,
    });
    const text = await response.text();
    if (response.status === 200) {
      if (!stream)
        return {
          outcome: JSON.parse(text).type === 'message' ? 'ok' : 'gateway-made-5xx',
          status: 200,
        };
      if (text.includes('event: message_stop')) return { outcome: 'ok', status: 200 };
      return { outcome: 'stream-error-event', status: 200 };
    }
    let message = '';
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
    } catch {
      message = '';
    }
    if (response.status < 500) {
      return {
        outcome: upstreamCausedMessage.test(message) ? 'upstream-caused-error' : 'client-error-4xx',
        status: response.status,
      };
    }
    return {
      outcome: upstreamCausedMessage.test(message) ? 'upstream-caused-error' : 'gateway-made-5xx',
      status: response.status,
    };
  } catch (error) {
    if (signal.aborted) return { outcome: 'hang', status: 0 };
    throw error;
  }
}

interface MemorySample {
  label: string;
  atMs: number;
  rssMB: number;
  heapUsedMB: number;
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function sampleMemory(label: string, startedAt: number): MemorySample {
  const usage = process.memoryUsage();
  return {
    label,
    atMs: Math.round(performance.now() - startedAt),
    rssMB: megabytes(usage.rss),
    heapUsedMB: megabytes(usage.heapUsed),
  };
}

const collectGarbage = async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise(done => setTimeout(done, 50));
  }
  return true;
};

async function runBatch(
  baseURL: string,
  count: number,
  offset: number,
  tally: Map<Outcome, number>,
  statuses: Map<number, number>,
  latencies: number[] = [],
) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = offset + next++;
      const sentAt = performance.now();
      const { outcome, status } = await sendOne(baseURL, index);
      latencies.push(performance.now() - sentAt);
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function main(): Promise<void> {
  const primary = await startFaultyUpstream('primary');
  const backup = await startFaultyUpstream('backup');
  const events = { retries: 0, fallbacks: 0, keyCooldowns: 0, circuitChanges: [] as string[] };
  const config = {
    Providers: [
      {
        name: 'primary',
        api_base_url: primary.endpoint,
        models: ['p-model'],
        api_keys: ['load-key-a', 'load-key-b', 'load-key-c'],
      },
      { name: 'backup', api_base_url: backup.endpoint, models: ['b-model'], api_key: 'load-key-z' },
    ],
    Router: { default: 'primary,p-model' },
    fallback: { default: ['backup,b-model'] },
    resilience: {
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 200 },
      circuitBreaker: { enabled: true, failureThreshold: 5, cooldownMs: 2000 },
      timeouts: { connectMs: 2000, firstByteMs: 10_000, idleMs: 10_000, totalMs: 25_000 },
      keyCooldownMs: 1000,
    },
  } as ConduitConfigInput;
  const server = createConduitServer(config, {
    usage: false,
    resilienceEvents: {
      onRetry: () => events.retries++,
      onFallback: () => events.fallbacks++,
      onKeyCooldown: () => events.keyCooldowns++,
      onCircuitStateChange: (target, state) =>
        events.circuitChanges.push(`${target.provider},${target.model}→${state}`),
    },
  });
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  const tally = new Map<Outcome, number>();
  const statuses = new Map<number, number>();
  const startedAt = performance.now();
  const memory: MemorySample[] = [];

  const warmup = Math.min(200, Math.floor(requestCount / 10));
  await runBatch(url, warmup, 0, new Map(), new Map());
  const hasGC = await collectGarbage();
  memory.push(sampleMemory('before (after warm-up, GC)', startedAt));

  const sampler = setInterval(() => memory.push(sampleMemory('during', startedAt)), 1000);
  sampler.unref();
  const loadStartedAt = performance.now();
  const latencies: number[] = [];
  await runBatch(url, requestCount, warmup, tally, statuses, latencies);
  latencies.sort((left, right) => left - right);
  const latencyMs = (fraction: number) =>
    Math.round(
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))]! * 10,
    ) / 10;
  const loadMs = performance.now() - loadStartedAt;
  clearInterval(sampler);
  memory.push(sampleMemory('end of load (no GC)', startedAt));
  await collectGarbage();
  memory.push(sampleMemory('after (GC)', startedAt));

  await server.stop();
  await primary.close();
  await backup.close();

  const count = (outcome: Outcome) => tally.get(outcome) ?? 0;
  const before = memory[0]!;
  const after = memory.at(-1)!;
  const during = memory.filter(sample => sample.label === 'during');
  const heapGrowthMB = Math.round((after.heapUsedMB - before.heapUsedMB) * 10) / 10;
  const checks = {
    zeroGatewayMade5xx: count('gateway-made-5xx') === 0,
    zeroHangs: count('hang') === 0,
    everyRequestAnswered:
      [...tally.values()].reduce((sum, value) => sum + value, 0) === requestCount,
    // After GC the heap is back within 10 MB of where it started (no per-request leak).
    memoryDoesNotGrow: !hasGC || heapGrowthMB < 10,
  };
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    requests: requestCount,
    concurrency,
    requestDeadlineMs,
    faultShares,
    durationMs: Math.round(loadMs),
    requestsPerSecond: Math.round(requestCount / (loadMs / 1000)),
    latencyMs: {
      p50: latencyMs(0.5),
      p90: latencyMs(0.9),
      p99: latencyMs(0.99),
      max: latencyMs(1),
    },
    outcomes: Object.fromEntries(tally),
    statuses: Object.fromEntries(statuses),
    injectedFaults: { primary: primary.counts, backup: backup.counts },
    resilienceEvents: {
      retries: events.retries,
      fallbacks: events.fallbacks,
      keyCooldowns: events.keyCooldowns,
      circuitChanges: events.circuitChanges,
    },
    memory: {
      gcAvailable: hasGC,
      before,
      peakDuring: during.reduce(
        (peak, sample) => (sample.heapUsedMB > peak.heapUsedMB ? sample : peak),
        during[0] ?? before,
      ),
      after,
      heapGrowthMB,
      samples: memory,
    },
    checks,
  };
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);

  console.log(
    `\nConduit load test: ${requestCount} requests, ${concurrency} concurrent, ${results.durationMs} ms (${results.requestsPerSecond} req/s; latency p50 ${results.latencyMs.p50} ms, p99 ${results.latencyMs.p99} ms, max ${results.latencyMs.max} ms)`,
  );
  console.table(
    (
      [
        'ok',
        'upstream-caused-error',
        'stream-error-event',
        'client-error-4xx',
        'gateway-made-5xx',
        'hang',
      ] as Outcome[]
    ).map(outcome => ({ outcome, requests: count(outcome) })),
  );
  console.log('injected upstream faults:');
  console.table({ primary: primary.counts, backup: backup.counts });
  console.log(
    `resilience: ${events.retries} retries, ${events.fallbacks} fallbacks, ${events.keyCooldowns} key cooldowns, circuit changes: ${events.circuitChanges.join(', ') || 'none'}`,
  );
  console.table(
    memory
      .filter(sample => sample.label !== 'during')
      .concat(
        results.memory.peakDuring.label === 'during'
          ? [{ ...results.memory.peakDuring, label: 'peak during load' }]
          : [],
      ),
  );
  if (!hasGC) console.log('note: run with --expose-gc for the after-GC memory check');
  console.table(checks);
  console.log(`wrote ${resultsPath}`);
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}

await main();
