import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUpstreamClient } from './create-upstream-fetch.js';

const frames = ['event: ping\ndata: {"type":"ping"}\n\n', 'event: message_stop\ndata: {}\n\n'];
let server: Server;
let url: string;
/** The response of the `/hold` request, which sends one frame and waits. */
let held: Promise<ServerResponse>;
let closedHeld: Promise<void>;

beforeAll(async () => {
  let resolveHeld!: (response: ServerResponse) => void;
  held = new Promise(resolve => {
    resolveHeld = resolve;
  });
  let resolveClosed!: () => void;
  closedHeld = new Promise(resolve => {
    resolveClosed = resolve;
  });
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (request.url === '/hold') {
      response.write(frames[0]);
      response.on('close', resolveClosed);
      resolveHeld(response);
      return;
    }
    response.end(frames.join(''));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise(resolve => server.close(resolve));
});

describe('PooledUpstreamResponse.openBodySource', () => {
  it('reads the same bytes as the web stream body, and the body is then no longer offered', async () => {
    const client = createUpstreamClient();
    try {
      const response = await client.fetch(`${url}/whole`, { method: 'POST', body: '{}' });
      const source = response.openBodySource?.();
      if (!source) throw new Error('no byte source');
      const reader = source.getReader();
      const chunks: Uint8Array[] = [];
      for (let result = await reader.read(); !result.done; result = await reader.read()) {
        chunks.push(result.value);
      }
      expect(Buffer.concat(chunks).toString()).toBe(frames.join(''));
      expect(() => response.body).toThrow('already read');
    } finally {
      await client.close();
    }
  });

  it('ends a read pending when the reader is cancelled, and closes the upstream connection', async () => {
    const client = createUpstreamClient();
    try {
      const response = await client.fetch(`${url}/hold`, { method: 'POST', body: '{}' });
      const source = response.openBodySource?.();
      if (!source) throw new Error('no byte source');
      const reader = source.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value ?? []).toString()).toBe(frames[0]);
      await held;
      const pending = reader.read();
      await reader.cancel(new Error('client closed the stream'));
      await expect(pending).resolves.toEqual({ done: true, value: undefined });
      await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
      await closedHeld;
    } finally {
      await client.close();
    }
  });
});

describe('PooledUpstreamResponse.takeArrivedBody', () => {
  it('takes a body that has fully arrived in one piece, and the connection is reused', async () => {
    const client = createUpstreamClient();
    let connections = 0;
    const count = () => {
      connections++;
    };
    server.on('connection', count);
    try {
      for (let index = 0; index < 3; index++) {
        const response = await client.fetch(`${url}/whole`, { method: 'POST', body: '{}' });
        const body = response.takeArrivedBody?.();
        expect(Buffer.from(body ?? []).toString()).toBe(frames.join(''));
        expect(() => response.body).toThrow('already read');
        // The answer ends (and frees its connection) on the next tick, as a read body does.
        await new Promise(resolve => setImmediate(resolve));
      }
      expect(connections).toBe(1);
    } finally {
      server.off('connection', count);
      await client.close();
    }
  });

  it('leaves a body still arriving to be read as usual', async () => {
    const client = createUpstreamClient();
    try {
      const response = await client.fetch(`${url}/hold`, { method: 'POST', body: '{}' });
      expect(response.takeArrivedBody?.()).toBeUndefined();
      const reader = response.openBodySource?.().getReader();
      if (!reader) throw new Error('no byte source');
      const first = await reader.read();
      expect(Buffer.from(first.value ?? []).toString()).toBe(frames[0]);
      await reader.cancel(new Error('done'));
    } finally {
      await client.close();
    }
  });
});

describe('PooledUpstreamResponse content encodings', () => {
  const answer = JSON.stringify({ id: 'msg_1', content: [{ type: 'text', text: 'héllo — ✓' }] });

  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decompresses a %s answer', async (coding, compress) => {
    const compressed = compress(Buffer.from(answer));
    const upstream = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
      response.end(compressed);
    });
    await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
    const client = createUpstreamClient();
    try {
      const port = (upstream.address() as AddressInfo).port;
      const response = await client.fetch(`http://127.0.0.1:${port}/v1/messages`, {
        method: 'POST',
        body: '{}',
      });
      expect(await response.text()).toBe(answer);
    } finally {
      await client.close();
      await new Promise(resolve => upstream.close(resolve));
    }
  });
});
