/**
 * A small fleet for the multi-instance tests: a private redis-server (so a test can stop and
 * restart it), three `conduit start` processes sharing it and one ledger (PostgreSQL when
 * CONDUIT_TEST_POSTGRES_URL is set, else one SQLite file), and helpers to drive load.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { Sandbox } from './cli-harness.js';
import { type ForegroundGateway, startForegroundGateway } from './fleet-harness.js';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Whether the Redis suites run: skipped locally without Redis, an error under CI. */
export function shouldRunRedisSuite(suite: string): boolean {
  if (process.env.CONDUIT_TEST_REDIS_URL && hasRedisServer()) return true;
  if (process.env.CI) {
    throw new Error(
      `${suite}: CONDUIT_TEST_REDIS_URL is not set (or redis-server is missing) but CI is; start Redis with scripts/start-redis.sh`,
    );
  }
  process.stderr.write(
    `NOTE ${suite}: skipped, CONDUIT_TEST_REDIS_URL is not set (export CONDUIT_TEST_REDIS_URL=$(bash scripts/start-redis.sh))\n`,
  );
  return false;
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A redis-server child process on a fixed loopback port (restartable on the same port). */
export class TestRedis {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly directory: string,
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.directory,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    child.stdout?.on('data', chunk => {
      output += String(chunk);
    });
    // A generous deadline: on a loaded machine redis-server can take seconds to come up.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (output.includes('Ready to accept connections')) return;
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`redis-server did not start:\n${output}`);
  }

  /** Kills Redis (as a crash would) and waits for the exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export interface ClusterOptions {
  sandbox: Sandbox;
  /** Extra top-level config (providers, resilience). */
  config: Record<string, unknown>;
  redisURL: string;
  storage: string;
  masterKey: string;
  instances: number;
}

/** Starts `instances` gateways sharing one config, each with its own CONDUIT_HOME. */
export async function startCluster(options: ClusterOptions): Promise<ForegroundGateway[]> {
  const configPath = path.join(options.sandbox.root, 'fleet-config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      APIKEY: options.masterKey,
      ...options.config,
      usage: { storage: options.storage, flushIntervalMs: 100 },
      fleet: { redis: options.redisURL, windowMs: 10_000, keys: { cacheTtlMs: 500 } },
      server: { watchConfig: false },
    }),
    { mode: 0o600 },
  );
  const gateways: ForegroundGateway[] = [];
  for (let index = 0; index < options.instances; index++) {
    gateways.push(
      await startForegroundGateway(options.sandbox, configPath, {
        conduitHome: path.join(options.sandbox.root, `instance-${index}`),
      }),
    );
  }
  return gateways;
}

export interface LoadResult {
  status: number;
  requestId: string | null;
  /** `anthropic-ratelimit-requests-reset` of admitted requests (names their window). */
  window: string | null;
  retryAfter: string | null;
  message: string;
  /** The instance that answered. */
  instance: number;
  /** When the request was sent and its answer received (epoch ms, this process's clock). */
  sentAt: number;
  receivedAt: number;
}

/**
 * Sends `count` requests with `apiKey`, round-robin over the live instances, `concurrency` at a
 * time. A request whose instance is gone (connection refused or reset) is sent to the next one.
 */
export async function driveLoad(options: {
  gateways: ForegroundGateway[];
  isLive?: (index: number) => boolean;
  apiKey: string;
  count: number;
  concurrency: number;
  model?: string;
  onResult?: (result: LoadResult, done: number) => void;
}): Promise<LoadResult[]> {
  const results: LoadResult[] = [];
  let next = 0;
  const isLive = options.isLive ?? (() => true);
  const worker = async () => {
    while (next < options.count) {
      const index = next++;
      let instance = index % options.gateways.length;
      for (let attempt = 0; ; attempt++) {
        while (!isLive(instance)) instance = (instance + 1) % options.gateways.length;
        const sentAt = Date.now();
        try {
          const response = await fetch(`${options.gateways[instance]!.url}/v1/messages`, {
            method: 'POST',
            headers: { 'x-api-key': options.apiKey, 'content-type': 'application/json' },
            body: JSON.stringify({
              model: options.model ?? 'claude-opus-4-8',
              max_tokens: 16,
              messages: [{ role: 'user', content: `load ${index}` }],
            }),
          });
          const text = await response.text();
          // A draining instance answers 503 before routing: nothing admitted, nothing recorded.
          if (response.status === 503 && !response.headers.get('x-conduit-request-id')) {
            throw new Error('draining');
          }
          const result: LoadResult = {
            status: response.status,
            requestId: response.headers.get('x-conduit-request-id'),
            window: response.headers.get('anthropic-ratelimit-requests-reset'),
            retryAfter: response.headers.get('retry-after'),
            message: response.status === 200 ? '' : text,
            instance,
            sentAt,
            receivedAt: Date.now(),
          };
          results.push(result);
          options.onResult?.(result, results.length);
          break;
        } catch (error) {
          if (attempt >= 5) throw error;
          instance = (instance + 1) % options.gateways.length;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return results;
}

/** Polls `check` every 25 ms until it holds or `timeoutMs` passes; returns the time it took. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started <= timeoutMs) {
    if (await check()) return Date.now() - started;
    await sleep(25);
  }
  return null;
}
