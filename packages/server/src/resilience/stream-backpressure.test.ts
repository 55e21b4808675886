import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConduitConfigInput } from '@conduit/core';
import { startTestGateway } from '../test-gateway.js';

const frameCount = 2000;
const piece = 'x'.repeat(16 * 1024);
const frame = `data: {"id":"c","choices":[{"index":0,"delta":{"content":"${piece}"}}]}\n\n`;
const totalBytes = frameCount * Buffer.byteLength(frame);

/**
 * A fast upstream that writes a large stream as quickly as its socket accepts it, honouring
 * `drain`, and counts the bytes it got rid of: if Conduit read ahead of its client, this count
 * would run to the end while the client is paused.
 */
async function startFastUpstream(): Promise<{
  url: string;
  written(): number;
  close(): Promise<void>;
}> {
  let written = 0;
  const server: Server = createServer(async (request, response) => {
    // A mock never hangs a test: if this handler throws, the client gets a 500 naming why.
    try {
      for await (const _chunk of request) {
        // drain the request body
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let index = 0; index < frameCount; index++) {
        if (response.destroyed) return;
        written += Buffer.byteLength(frame);
        if (!response.write(frame)) {
          await new Promise<void>(resolve => {
            const done = () => {
              response.off('drain', done);
              response.off('close', done);
              resolve();
            };
            response.on('drain', done);
            response.on('close', done);
          });
        }
      }
      response.end(
        'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
      );
    } catch (error) {
      if (response.headersSent) response.destroy();
      else response.writeHead(500).end(`mock upstream threw: ${String(error)}`);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    written: () => written,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('streaming under load', () => {
  let upstream: Awaited<ReturnType<typeof startFastUpstream>>;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    upstream = await startFastUpstream();
    gateway = await startTestGateway({
      Providers: [{ name: 'fast', api_base_url: upstream.url, models: ['m'], api_key: 'k' }],
      Router: { default: 'fast,m' },
      resilience: { timeouts: { idleMs: 30_000, firstByteMs: 30_000 } },
    } as ConduitConfigInput);
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('reads the upstream only as fast as a slow client takes the stream (backpressure)', async () => {
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'x',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'stream a lot' }],
      }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    // The client stops reading; give a greedy gateway ample time to pull everything.
    await new Promise(resolve => setTimeout(resolve, 1500));
    const writtenWhilePaused = upstream.written();
    expect(writtenWhilePaused).toBeLessThan(totalBytes / 2);

    const decoder = new TextDecoder();
    let received = 0;
    let tail = '';
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      tail = (tail + decoder.decode(value, { stream: true })).slice(-200);
    }
    expect(upstream.written()).toBe(totalBytes);
    expect(received).toBeGreaterThan(totalBytes);
    expect(tail).toContain('event: message_stop');
  }, 60_000);
});
