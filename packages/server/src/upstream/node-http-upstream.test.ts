import { type Server, createServer } from 'node:http';
import { type Socket, createServer as createTCPServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createNodeHTTPUpstream } from './node-http-upstream.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | ReturnType<typeof createTCPServer>): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    const closed = new Promise(resolve => server.close(resolve));
    if ('closeAllConnections' in server) server.closeAllConnections();
    return closed;
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(timeouts: Parameters<typeof createNodeHTTPUpstream>[0] = {}) {
  const upstream = createNodeHTTPUpstream(timeouts);
  closers.push(async () => upstream.close());
  return upstream;
}

const answer = (body: string) =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`;

/** A raw upstream: answers each request with `fresh-<n>` (n counts connections). */
async function rawUpstream() {
  const sockets: Socket[] = [];
  const closed: Promise<void>[] = [];
  const server = createTCPServer(socket => {
    sockets.push(socket);
    const number = sockets.length;
    closed.push(new Promise(resolve => socket.on('close', () => resolve())));
    socket.on('data', data => {
      if (data.toString().includes('\r\n\r\n')) socket.write(answer(`fresh-${number}`));
    });
    socket.on('error', () => undefined);
  });
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
  });
  return { url: await listen(server), sockets, closed };
}

describe('createNodeHTTPUpstream keep-alive', () => {
  it('reuses a quiet kept-alive connection', async () => {
    const upstream = await rawUpstream();
    const { fetch } = client();
    expect(await (await fetch(`${upstream.url}/one`, { method: 'POST', body: '{}' })).text()).toBe(
      'fresh-1',
    );
    expect(await (await fetch(`${upstream.url}/two`, { method: 'POST', body: '{}' })).text()).toBe(
      'fresh-1',
    );
    expect(upstream.sockets).toHaveLength(1);
  });
});

describe('createNodeHTTPUpstream requests', () => {
  it('sends the body with its length and the headers, and returns a redirect unfollowed', async () => {
    let seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string } = {
      headers: {},
      body: '',
    };
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', chunk => {
        body += chunk;
      });
      request.on('end', () => {
        seen = { method: request.method, url: request.url, headers: request.headers, body };
        response.writeHead(302, { location: 'https://elsewhere.example/' }).end();
      });
    });
    const url = await listen(server);
    const { fetch } = client();
    const response = await fetch(`${url}/v1/chat?x=1`, {
      method: 'POST',
      headers: { Authorization: 'Bearer k', 'Content-Type': 'application/json' },
      body: new TextEncoder().encode('{"é":1}'),
    });
    expect(response.status).toBe(302);
    expect(response.ok).toBe(false);
    expect(response.headers.get('Location')).toBe('https://elsewhere.example/');
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/v1/chat?x=1',
      body: '{"é":1}',
      headers: {
        authorization: 'Bearer k',
        'content-type': 'application/json',
        'content-length': '8',
        accept: '*/*',
      },
    });
  });

  it('fails with a headers timeout when the upstream does not answer', async () => {
    const url = await listen(createServer(() => undefined));
    const { fetch } = client({ headersTimeoutMs: 50 });
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
  });

  it('fails the body with a body timeout when the upstream stalls mid-answer', async () => {
    const url = await listen(
      createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: 1\n\n');
      }),
    );
    const { fetch } = client({ bodyTimeoutMs: 50 });
    const response = await fetch(url, { method: 'POST', body: '{}' });
    await expect(response.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('rejects with the abort reason when the signal aborts before the answer', async () => {
    const url = await listen(createServer(() => undefined));
    const { fetch } = client();
    const controller = new AbortController();
    const pending = fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });

  it('fails the body with the abort reason when the signal aborts mid-answer', async () => {
    const url = await listen(
      createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: 1\n\n');
      }),
    );
    const { fetch } = client();
    const controller = new AbortController();
    const response = await fetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    const reason = new Error('client went away');
    const reading = response.text();
    controller.abort(reason);
    await expect(reading).rejects.toBe(reason);
  });

  it('reports a refused connection with its code', async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise(resolve => server.close(resolve));
    closers.pop();
    const { fetch } = client();
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});
