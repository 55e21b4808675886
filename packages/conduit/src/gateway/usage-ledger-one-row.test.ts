/**
 * One ledger row per client request, whatever happened on the way: retries, fallbacks, a client
 * that aborts mid-stream, an upstream that fails mid-stream, every target failing. A real gateway
 * with a SQLite ledger between a client and two recording mock upstreams; each request carries its
 * own session id, and after a graceful stop the ledger is read back and grouped by session.
 * (SIGTERM during streaming is in usage-ledger-shutdown.test.ts.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type UsageRecord, createUsageStore } from '@conduit/monitoring';
import {
  type MockOpenAIProvider,
  type MockResponse,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { type ConduitGateway, createConduit } from './create-conduit.js';

const slowStream = (): MockResponse => ({
  type: 'sse',
  frames: formatOpenAISSE(
    createOpenAIChunks({
      text: 'z'.repeat(300),
      stop: 'end_turn',
      usage: { input: 4, output: 60 },
    }),
  ),
  frameDelayMs: 100,
});
const brokenStream = (cutAfterFrames: number): MockResponse => ({
  type: 'sse',
  frames: formatOpenAISSE(
    createOpenAIChunks({ text: 'w'.repeat(60), stop: 'end_turn', usage: { input: 4, output: 12 } }),
  ),
  cutAfterFrames,
});
const serverError = (status: number): MockResponse => ({
  type: 'json',
  status,
  body: { error: { message: `upstream ${status}` } },
});

interface Sent {
  session: string;
  status: number;
  text: string;
  requestId: string | null;
}

describe('usage ledger: exactly one row per client request', () => {
  let primary: MockOpenAIProvider;
  let backup: MockOpenAIProvider;
  let home: string;
  let server: ConduitGateway;
  let baseURL: string;
  const sent: Sent[] = [];

  const body = (session: string, stream: boolean) =>
    JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      stream,
      metadata: { user_id: JSON.stringify({ device_id: 'ledger-test', session_id: session }) },
      messages: [{ role: 'user', content: `request ${session}` }],
    });

  const send = async (session: string, stream: boolean): Promise<Sent> => {
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(session, stream),
    });
    const result = {
      session,
      status: response.status,
      text: await response.text(),
      requestId: response.headers.get('x-conduit-request-id'),
    };
    sent.push(result);
    return result;
  };

  beforeAll(async () => {
    primary = await startMockOpenAIProvider();
    backup = await startMockOpenAIProvider();
    home = await mkdtemp(join(tmpdir(), 'conduit-ledger-rows-'));
    server = createConduit(
      {
        Providers: [
          { name: 'primary', api_base_url: primary.endpoint, api_key: 'sk-p', models: ['p-model'] },
          { name: 'backup', api_base_url: backup.endpoint, api_key: 'sk-b', models: ['b-model'] },
        ],
        Router: { default: 'primary,p-model' },
        fallback: { default: ['backup,b-model'] },
        resilience: {
          retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
          circuitBreaker: { enabled: false },
        },
        usage: { storage: `sqlite:${join(home, 'usage.db')}`, flushIntervalMs: 50 },
      },
      { home },
    );
    baseURL = (await server.start({ port: 0, host: '127.0.0.1' })).url;
  });
  afterAll(async () => {
    await server.stop();
    await primary.close();
    await backup.close();
    await rm(home, { recursive: true, force: true });
  });

  it('after retries, fallbacks, client aborts, mid-stream failures and total failures', async () => {
    // A retried 500 (unary and streamed) and a stream cut before its first frame, then retried.
    primary.enqueue(serverError(500));
    expect((await send('retry-json', false)).status).toBe(200);
    primary.enqueue(serverError(503));
    expect((await send('retry-stream', true)).status).toBe(200);
    primary.enqueue(brokenStream(0));
    expect((await send('retry-cut-before-first-frame', true)).status).toBe(200);

    // The primary fails both attempts; the backup serves.
    primary.enqueue(serverError(502), serverError(502));
    expect((await send('fallback-json', false)).status).toBe(200);
    primary.enqueue(serverError(502), serverError(502));
    expect((await send('fallback-stream', true)).status).toBe(200);

    // Every target fails: one error row, not one per attempt.
    primary.enqueue(serverError(500), serverError(500));
    backup.enqueue(serverError(500), serverError(500));
    expect((await send('all-fail', false)).status).toBe(500);

    // The upstream cuts the stream after its first frames: the client gets an error event.
    primary.enqueue(brokenStream(3));
    const cut = await send('upstream-cut-mid-stream', true);
    expect(cut.status).toBe(200);
    expect(cut.text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\n/);

    // The client aborts mid-stream.
    primary.enqueue(slowStream());
    const closedBefore = primary.requests.length;
    const controller = new AbortController();
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('client-abort-mid-stream', true),
      signal: controller.signal,
    });
    sent.push({
      session: 'client-abort-mid-stream',
      status: response.status,
      text: '',
      requestId: response.headers.get('x-conduit-request-id'),
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('content_block_delta')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    expect(primary.requests.length).toBe(closedBefore + 1);
    await primary.waitForClosedConnections(1);

    // The client gives up while the upstream has not answered yet (before any byte).
    primary.enqueue({ type: 'hang' });
    const early = new AbortController();
    const requestsBefore = primary.requests.length;
    const pending = fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body('client-abort-before-first-byte', true),
      signal: early.signal,
    }).catch((error: unknown) => error);
    while (primary.requests.length === requestsBefore) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    early.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    sent.push({ session: 'client-abort-before-first-byte', status: 0, text: '', requestId: null });
    await primary.waitForClosedConnections(2);

    await server.stop();
    const store = createUsageStore(`sqlite:${join(home, 'usage.db')}`, { home });
    let rows: UsageRecord[];
    try {
      rows = await store.listRecords({}, { limit: 1000 });
    } finally {
      await store.close();
    }
    const rowsBySession = new Map<string, UsageRecord[]>();
    for (const row of rows) {
      rowsBySession.set(row.sessionId ?? '', [
        ...(rowsBySession.get(row.sessionId ?? '') ?? []),
        row,
      ]);
    }
    const counts = Object.fromEntries(
      sent.map(request => [request.session, rowsBySession.get(request.session)?.length ?? 0]),
    );
    expect(counts).toEqual(Object.fromEntries(sent.map(request => [request.session, 1])));
    expect(rows).toHaveLength(sent.length);
    for (const request of sent) {
      const [row] = rowsBySession.get(request.session)!;
      if (request.requestId === null) continue;
      expect({ session: request.session, id: row!.id }).toEqual({
        session: request.session,
        id: request.requestId,
      });
    }
    const summary = (session: string) => {
      const row = rowsBySession.get(session)![0]!;
      return { provider: row.provider, status: row.status, streamed: row.streamed };
    };
    expect(summary('retry-json')).toEqual({ provider: 'primary', status: 200, streamed: false });
    expect(summary('fallback-stream')).toEqual({ provider: 'backup', status: 200, streamed: true });
    expect(summary('all-fail').status).toBe(500);
    expect(rowsBySession.get('upstream-cut-mid-stream')![0]!.errorType).not.toBeNull();
    expect(rowsBySession.get('client-abort-mid-stream')![0]).toMatchObject({
      streamed: true,
      errorType: 'client_closed',
    });
  }, 60_000);
});
