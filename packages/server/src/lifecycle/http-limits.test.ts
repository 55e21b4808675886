import { connect } from 'node:net';
import { Readable } from 'node:stream';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockAnthropicProvider,
  createAnthropicEvents,
  formatAnthropicSSE,
  startMockAnthropicProvider,
} from '@conduit/test-utils';
import { request as undiciRequest } from 'undici';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

describe('a body over server.bodyLimit', () => {
  let upstream: MockAnthropicProvider;
  let gateway: Gateway;

  beforeAll(async () => {
    upstream = await startMockAnthropicProvider();
    gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'claude',
          api_base_url: upstream.url,
          models: ['claude-upstream'],
          transformer: { use: ['Anthropic'] },
        },
        { server: { bodyLimit: 1024 * 1024 } },
      ),
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  // Past what the HTTP layer drains by itself (64 MiB): the gateway must stop reading, answer, close.
  const hugeText = 'x'.repeat(80 * 1024 * 1024);

  it('gets a 413 with its message through the Anthropic SDK, which is still writing', async () => {
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    const error = await client.messages
      .create({ model: 'claude-x', max_tokens: 8, messages: [{ role: 'user', content: hugeText }] })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(413);
    expect(apiError.error).toMatchObject({
      type: 'error',
      error: { type: 'request_too_large', message: expect.stringContaining('server.bodyLimit') },
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('gets a 413 through undici with a streamed body of unknown length', async () => {
    async function* chunks() {
      yield Buffer.from(
        '{"model":"claude-x","max_tokens":8,"messages":[{"role":"user","content":"',
      );
      for (let index = 0; index < 160; index++) yield Buffer.alloc(512 * 1024, 'y');
      yield Buffer.from('"}]}');
    }
    const response = await undiciRequest(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(chunks()),
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({ error: { type: 'request_too_large' } });
  });

  it('gets a 413 through undici from a client that keeps writing slowly', async () => {
    async function* chunks() {
      yield Buffer.from(
        '{"model":"claude-x","max_tokens":8,"messages":[{"role":"user","content":"',
      );
      // Well past the limit, and still writing long after the gateway answered.
      for (let index = 0; index < 40; index++) {
        await new Promise(resolve => setTimeout(resolve, 25));
        yield Buffer.alloc(128 * 1024, 'y');
      }
      yield Buffer.from('"}]}');
    }
    const response = await undiciRequest(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Readable.from(chunks()),
    });
    expect(response.statusCode).toBe(413);
    expect(await response.body.json()).toMatchObject({ error: { type: 'request_too_large' } });
  });

  it('lets a client that reads only after writing everything see the 413', async () => {
    const { port } = new URL(gateway.baseURL);
    const socket = connect(Number(port), '127.0.0.1');
    socket.pause(); // like a client that looks at the response once its upload is done
    socket.on('error', () => {});
    const bodyBytes = 100 * 1024 * 1024;
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${bodyBytes}\r\n\r\n`,
    );
    const chunk = Buffer.alloc(1024 * 1024, 'z');
    let writeFailed = false;
    for (let sent = 0; sent < bodyBytes && !writeFailed; sent += chunk.length) {
      const flushed = socket.write(chunk, error => {
        if (error) writeFailed = true;
      });
      if (!flushed) {
        await new Promise<void>(resolve => {
          socket.once('drain', resolve);
          socket.once('close', resolve);
        });
      }
      if (socket.destroyed) writeFailed = true;
    }
    let received = '';
    socket.on('data', data => {
      received += data.toString('latin1');
    });
    socket.resume();
    await new Promise<void>(resolve => {
      if (socket.destroyed) resolve();
      else socket.once('close', () => resolve());
      socket.end();
    });
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 413 Payload Too Large');
    expect(received).toContain('server.bodyLimit');
  });

  it('keeps serving afterwards', async () => {
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-x',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.type).toBe('message');
  });
});

describe('slow clients', () => {
  let upstream: MockAnthropicProvider;
  let gateway: Gateway;

  beforeAll(async () => {
    upstream = await startMockAnthropicProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'claude',
        api_base_url: upstream.url,
        models: ['claude-upstream'],
        transformer: { use: ['Anthropic'] },
      }),
      { http: { headersTimeoutMs: 300, requestTimeoutMs: 600, timeoutCheckIntervalMs: 50 } },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('closes a connection that trickles its headers (slowloris)', async () => {
    const { port } = new URL(gateway.baseURL);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write('POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const timer = setInterval(() => socket.write('x-trickle: 1\r\n'), 40);
    let received = '';
    socket.on('data', chunk => {
      received += chunk.toString();
    });
    await new Promise<void>(resolve => socket.once('close', () => resolve()));
    clearInterval(timer);
    expect(received).toContain('408');
  });

  it('closes a connection that never finishes its body', async () => {
    const { port } = new URL(gateway.baseURL);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(
      'POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":',
    );
    socket.on('error', () => {}); // the server closing under a write is the point
    let received = '';
    socket.on('data', chunk => {
      received += chunk.toString();
    });
    const timer = setInterval(() => socket.write(' '), 40);
    await new Promise<void>(resolve => socket.once('close', () => resolve()));
    clearInterval(timer);
    expect(received).toContain('408');
  });

  it('lets a streamed answer run longer than the request timeout', async () => {
    // About 15 frames 60 ms apart: the answer lasts longer than the 600 ms request timeout.
    upstream.enqueue({
      type: 'sse',
      frames: formatAnthropicSSE(
        createAnthropicEvents({
          text: 'a long answer arriving slowly, frame by frame',
          stop: 'end_turn',
        }),
      ),
      frameDelayMs: 60,
    });
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    const message = await client.messages
      .stream({ model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(message.content[0]).toMatchObject({
      type: 'text',
      text: 'a long answer arriving slowly, frame by frame',
    });
  });
});
