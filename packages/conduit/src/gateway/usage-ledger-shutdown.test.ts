/**
 * SIGTERM while streams are in flight that outlive the graceful-shutdown deadline: the gateway
 * (a `runConduit` process) cuts them when the deadline passes, flushes the ledger and exits 0, and
 * the ledger holds exactly one row per request (graceful-shutdown.test.ts covers streams that
 * finish in time).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUsageStore } from '@conduit/monitoring';
import {
  type MockOpenAIProvider,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const streams = 3;

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

describe('usage ledger when SIGTERM cuts streams at the shutdown deadline', () => {
  let upstream: MockOpenAIProvider;
  let directory: string;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    // About a minute per stream: far past the shutdown deadline below.
    upstream.setDefaultResponder(request =>
      JSON.stringify(request.json).includes('never answered')
        ? { type: 'hang' }
        : {
            type: 'sse',
            frames: formatOpenAISSE(
              createOpenAIChunks({
                text: 'x'.repeat(600),
                stop: 'end_turn',
                usage: { input: 7, output: 120 },
              }),
            ),
            frameDelayMs: 500,
          },
    );
    directory = await mkdtemp(join(tmpdir(), 'conduit-ledger-sigterm-'));
  });
  afterAll(async () => {
    await upstream.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes exactly one row per cut stream and per request still waiting, and exits 0', async () => {
    const database = join(directory, 'usage.db');
    const configPath = join(directory, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        Providers: [
          { name: 'slow', api_base_url: upstream.endpoint, api_key: 'sk-slow-key', models: ['m'] },
        ],
        Router: { default: 'slow,m' },
        usage: { storage: database, flushIntervalMs: 600000, batchSize: 1000 },
        server: { gracefulShutdown: { timeoutMs: 1000 } },
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
    const requestIds: string[] = [];
    try {
      const url = await waitForURL(child);
      const started: Array<Promise<void>> = [];
      const finished = Array.from({ length: streams }, (_, index) => {
        let firstDelta: () => void = () => undefined;
        started.push(new Promise<void>(resolve => (firstDelta = resolve)));
        return (async () => {
          const response = await fetch(`${url}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'claude-x',
              max_tokens: 200,
              stream: true,
              messages: [{ role: 'user', content: `stream ${index}` }],
            }),
          });
          requestIds.push(response.headers.get('x-conduit-request-id') ?? '');
          const reader = response.body!.getReader();
          const decoder = new TextDecoder();
          let text = '';
          try {
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              text += decoder.decode(value, { stream: true });
              if (text.includes('content_block_delta')) firstDelta();
            }
          } catch {
            // the connection closed with the process
          }
          return text;
        })();
      });
      // And one request still waiting for the upstream's first byte.
      const waiting = fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-x',
          max_tokens: 200,
          stream: true,
          messages: [{ role: 'user', content: 'never answered' }],
        }),
      }).then(
        async response => {
          requestIds.push(response.headers.get('x-conduit-request-id') ?? '');
          return { status: response.status, text: await response.text().catch(() => '') };
        },
        (error: unknown) => ({ status: 0, text: String(error) }),
      );
      await Promise.all(started);
      while (upstream.requests.length < streams + 1) {
        await new Promise(resolve => setTimeout(resolve, 10));
      }
      child.kill('SIGTERM');
      const texts = await Promise.all(finished);
      for (const text of texts) {
        expect(text).not.toContain('message_stop');
        expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\n/);
      }
      const answer = await waiting;
      // Answered as a shutdown (503, retry later), not as an internal error.
      expect(answer.status).toBe(503);
      expect(answer.text).toContain('Conduit is shutting down');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    const store = createUsageStore(database);
    try {
      const rows = await store.listRecords({}, { limit: 100 });
      expect(rows.map(row => row.id).sort()).toEqual([...requestIds].sort());
      expect(new Set(rows.map(row => row.id)).size).toBe(streams + 1);
      for (const row of rows) expect(row).toMatchObject({ streamed: true, provider: 'slow' });
    } finally {
      await store.close();
    }
  }, 60000);
});
