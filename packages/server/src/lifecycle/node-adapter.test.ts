import { once } from 'node:events';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Hono } from 'hono';
import { HTTPListener } from './http-listener.js';
import { nodeBindingsOf } from './node-bindings.js';
import { NodeResponse } from './node-response.js';
import { nativeWebClass } from './web-globals.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request over a fresh connection, with headers given as raw pairs (repeats allowed). */
function send(
  port: number,
  options: { method?: string; path?: string; headers?: [string, string][]; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        // Raw pairs keep repeats; Node then adds no Host of its own.
        headers: [['host', `127.0.0.1:${port}`], ...(options.headers ?? [])].flat(),
        agent: false,
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A raw request on a socket; resolves with everything the server sent before closing. */
async function sendRaw(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.end(text);
  let received = '';
  socket.on('data', chunk => {
    received += chunk.toString();
  });
  await once(socket, 'close');
  return received;
}

describe('the node adapter (real HTTP on 127.0.0.1)', () => {
  const app = new Hono();
  const listener = new HTTPListener(app.fetch);
  let port = 0;
  let streamCancelled: Promise<unknown>;
  let markCancelled: (reason: unknown) => void;
  let signalAborted: Promise<unknown>;
  let markAborted: (reason: unknown) => void;

  beforeAll(async () => {
    streamCancelled = new Promise(resolve => {
      markCancelled = resolve;
    });
    signalAborted = new Promise(resolve => {
      markAborted = resolve;
    });
    app.get('/json', context =>
      context.json({
        url: context.req.url,
        method: context.req.method,
        joined: context.req.header('x-repeated') ?? null,
        contentType: context.req.header('content-type') ?? null,
        missing: context.req.header('x-missing') ?? null,
        hasNode: nodeBindingsOf(context.env) !== undefined,
      }),
    );
    app.post('/echo', async context => {
      const text = await context.req.raw.text();
      const again = await context.req.raw.text().then(
        () => 'read twice',
        (error: Error) => error.message,
      );
      return context.json({ text, again, bodyUsed: context.req.raw.bodyUsed });
    });
    app.post('/json-body', async context => context.json(await context.req.json()));
    app.post('/stream-body', async context => {
      const reader = context.req.raw.body!.getReader();
      let length = 0;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        length += chunk.value.byteLength;
      }
      return context.text(String(length));
    });
    app.get('/stream', () => {
      let count = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          count += 1;
          controller.enqueue(new TextEncoder().encode(`chunk ${count}\n`));
          if (count === 3) controller.close();
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/plain' } });
    });
    app.get('/endless', context => {
      context.req.raw.signal.addEventListener('abort', () =>
        markAborted(context.req.raw.signal.reason),
      );
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('first\n'));
        },
        cancel: reason => markCancelled(reason),
      });
      return new Response(stream);
    });
    app.get('/native', () => {
      const NativeResponse = nativeWebClass('Response');
      const headers = new Headers([
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['x-native', 'yes'],
      ]);
      return new NativeResponse('native body', { status: 201, headers });
    });
    app.get('/plain', () => new Response('plain text'));
    app.get('/bytes', () => new Response(new TextEncoder().encode('bytes'), { status: 202 }));
    app.get('/copy', context => {
      const copy = new Request(context.req.raw);
      return context.json({
        copiedURL: copy.url,
        isRequest: context.req.raw instanceof Request,
        isResponse: new Response('x') instanceof Response,
        // Reading Node's own classes (the /native route did) leaves the adapter's global in place.
        globalIsAdapters:
          globalThis.Response === (NodeResponse as unknown) &&
          nativeWebClass('Response') !== Response,
      });
    });
    app.get('/throws', () => {
      throw new Error('boom');
    });
    app.onError((error, context) => context.json({ caught: error.message }, 500));
    port = (await listener.listen(0, '127.0.0.1')).port;
  });

  afterAll(async () => {
    await listener.finishClosing(0);
  });

  it('gives the app the URL, method and headers as a web Request would', async () => {
    const answer = await send(port, {
      path: '/json?x=1',
      headers: [
        ['X-Repeated', 'one'],
        ['x-repeated', 'two'],
        ['Content-Type', 'text/a'],
        ['content-type', 'text/b'],
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.body)));
    expect(JSON.parse(answer.body)).toEqual({
      url: `http://127.0.0.1:${port}/json?x=1`,
      method: 'GET',
      joined: 'one, two',
      contentType: 'text/a, text/b',
      missing: null,
      hasNode: true,
    });
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const answer = await send(port, { method: 'HEAD', path: '/json' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toBe('');
  });

  it('reads a body once, as text or JSON, and refuses a second read', async () => {
    const echoed = await send(port, { method: 'POST', path: '/echo', body: 'héllo' });
    expect(JSON.parse(echoed.body)).toEqual({
      text: 'héllo',
      again: 'Body is unusable',
      bodyUsed: true,
    });
    const body = JSON.stringify({ nested: { list: [1, 2, 3] } });
    const parsed = await send(port, {
      method: 'POST',
      path: '/json-body',
      headers: [['content-type', 'application/json']],
      body,
    });
    expect(parsed.body).toBe(body);
  });

  it('gives the body as a web stream when the app asks for one', async () => {
    const answer = await send(port, {
      method: 'POST',
      path: '/stream-body',
      body: 'x'.repeat(100_000),
    });
    expect(answer.body).toBe('100000');
  });

  it('streams a web stream answer to the end', async () => {
    const answer = await send(port, { path: '/stream' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain');
    expect(answer.body).toBe('chunk 1\nchunk 2\nchunk 3\n');
  });

  it('cancels the answer stream and aborts the request signal when the client goes', async () => {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`GET /endless HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await once(socket, 'data');
    socket.destroy();
    await streamCancelled;
    // The request errored (`Error: aborted`), or the socket closed before the answer ended.
    expect(String(await signalAborted)).toMatch(/aborted|prematurely closed/);
  });

  it("writes a real Response's status and headers, each set-cookie separately", async () => {
    const answer = await send(port, { path: '/native' });
    expect(answer.status).toBe(201);
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.headers['x-native']).toBe('yes');
    expect(answer.headers['content-length']).toBe('11');
    expect(answer.body).toBe('native body');
  });

  it('gives a body without headers a text content type and its length', async () => {
    const plain = await send(port, { path: '/plain' });
    expect(plain.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(plain.headers['content-length']).toBe('10');
    expect(plain.body).toBe('plain text');
    const bytes = await send(port, { path: '/bytes' });
    expect(bytes.status).toBe(202);
    expect(bytes.body).toBe('bytes');
  });

  it('lets the globals treat its request and response as real ones', async () => {
    const answer = await send(port, { path: '/copy' });
    expect(JSON.parse(answer.body)).toEqual({
      copiedURL: `http://127.0.0.1:${port}/copy`,
      isRequest: true,
      isResponse: true,
      globalIsAdapters: true,
    });
  });

  it("maps a handler's error through the app's error handler", async () => {
    const answer = await send(port, { path: '/throws' });
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ caught: 'boom' });
  });

  it('answers 400 to a Host it cannot make a URL of', async () => {
    const answer = await sendRaw(
      port,
      'GET /json HTTP/1.1\r\nHost: exa mple\r\nConnection: close\r\n\r\n',
    );
    expect(answer.startsWith('HTTP/1.1 400')).toBe(true);
  });
});
