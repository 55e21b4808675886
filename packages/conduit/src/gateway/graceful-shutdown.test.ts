import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { createUsageStore } from '@conduit/monitoring';
import {
  type MockOpenAIProvider,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const streams = 4;

function waitForURL(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stdout!.on('data', chunk => {
      output += String(chunk);
      const line = output.split('\n').find(row => row.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.stderr!.on('data', chunk => {
      errors += String(chunk);
    });
    child.once('exit', code => reject(new Error(`gateway exited with ${code}: ${errors}`)));
  });
}

describe('graceful shutdown of a run() process on SIGTERM', () => {
  let upstream: MockOpenAIProvider;
  let directory: string;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    // A slow stream: 30 text pieces, 60 ms apart (about 2 s).
    const answer = {
      text: 'x'.repeat(150),
      stop: 'end_turn' as const,
      usage: { input: 7, output: 30 },
    };
    upstream.setDefaultResponder(() => ({
      type: 'sse',
      frames: formatOpenAISSE(createOpenAIChunks(answer)),
      frameDelayMs: 60,
    }));
    directory = await mkdtemp(join(tmpdir(), 'conduit-shutdown-'));
  });
  afterAll(async () => {
    await upstream.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('finishes every in-flight stream, flushes usage and exits 0', async () => {
    const database = join(directory, 'usage.db');
    const configPath = join(directory, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        Providers: [
          { name: 'slow', api_base_url: upstream.endpoint, api_key: 'sk-slow-key', models: ['m'] },
        ],
        Router: { default: 'slow,m' },
        // Flushing only at shutdown proves the rows are written by stop().
        usage: { storage: database, flushIntervalMs: 600000, batchSize: 1000 },
        server: { gracefulShutdown: { timeoutMs: 20000 } },
      }),
    );
    const child = spawn(
      process.execPath,
      [
        '--conditions=@conduit/source',
        '--import',
        'tsx',
        join(here, '__fixtures__', 'run-gateway.ts'),
        configPath,
      ],
      { cwd: packageRoot, env: { ...process.env, CONDUIT_HOME: directory }, stdio: 'pipe' },
    );
    const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
    try {
      const url = await waitForURL(child);
      const client = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
      const firstBytes: Array<() => void> = [];
      const started = Array.from(
        { length: streams },
        () => new Promise<void>(resolve => firstBytes.push(resolve)),
      );
      const results = Array.from({ length: streams }, async (_, index) => {
        const stream = await client.messages.create({
          model: 'claude-x',
          max_tokens: 50,
          stream: true,
          messages: [{ role: 'user', content: `stream ${index}` }],
        });
        const types: string[] = [];
        for await (const event of stream) {
          if (types.length === 0) firstBytes[index]!();
          types.push(event.type);
        }
        return types;
      });
      await Promise.all(started);
      child.kill('SIGTERM');
      const finished = await Promise.all(results);
      for (const types of finished) {
        expect(types[0]).toBe('message_start');
        expect(types.at(-1)).toBe('message_stop');
        expect(types.filter(type => type === 'content_block_delta').length).toBeGreaterThan(10);
      }
      expect(await exited).toBe(0);
      // A new connection after shutdown is refused.
      await expect(fetch(`${url}/health`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
    const store = createUsageStore(database);
    try {
      const stats = await store.getStats({});
      expect(stats.totals.requests).toBe(streams);
      expect(stats.totals.outputTokens).toBe(30 * streams);
    } finally {
      await store.close();
    }
  }, 60000);
});
