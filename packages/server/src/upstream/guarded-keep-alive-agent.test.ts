import { Agent, type IncomingMessage, request } from 'node:http';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { guardIdleSockets, keepAliveAgentOptions } from './guarded-keep-alive-agent.js';

const answer = (body: string) =>
  `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A raw upstream answering each request with `fresh-<n>`, n counting its connections. */
async function rawUpstream(): Promise<{ port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer(socket => {
    sockets.push(socket);
    const number = sockets.length;
    socket.on('data', data => {
      if (data.toString().includes('\r\n\r\n')) socket.write(answer(`fresh-${number}`));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

/** One request; its answer's body and the client socket it came on. */
function get(agent: Agent, port: number): Promise<{ body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, agent, method: 'POST' });
    outgoing.on('error', reject);
    outgoing.on('response', (response: IncomingMessage) => {
      const socket = response.socket;
      let body = '';
      response.on('data', chunk => {
        body += chunk;
      });
      response.on('end', () => resolve({ body, socket }));
    });
    outgoing.end('{}');
  });
}

/** Turns of the event loop until Node has read more than `bytes` from `socket`, or it closed. */
async function untilRead(socket: Socket, bytes: number): Promise<void> {
  while (socket.bytesRead <= bytes && !socket.destroyed) {
    await new Promise(resolve => setImmediate(resolve));
  }
}

function guardedAgent(): Agent {
  const agent = guardIdleSockets(new Agent(keepAliveAgentOptions));
  closers.push(() => agent.destroy());
  return agent;
}

describe('guardIdleSockets', () => {
  it('drops an idle kept-alive socket on which the upstream sent bytes, and the next request opens a new one', async () => {
    const upstream = await rawUpstream();
    const agent = guardedAgent();
    const first = await get(agent, upstream.port);
    expect(first.body).toBe('fresh-1');
    await new Promise(resolve => setImmediate(resolve));
    const readBefore = first.socket.bytesRead;
    // A stale answer: unguarded, Node's agent reads and drops it and reuses the out-of-step socket.
    upstream.sockets[0]!.write(answer('stale'));
    await untilRead(first.socket, readBefore);
    expect(first.socket.destroyed).toBe(true);
    const second = await get(agent, upstream.port);
    expect(second.body).toBe('fresh-2');
    expect(second.socket).not.toBe(first.socket);
  });

  it('drops an idle kept-alive socket the upstream half-closed', async () => {
    const upstream = await rawUpstream();
    const agent = guardedAgent();
    const first = await get(agent, upstream.port);
    await new Promise(resolve => setImmediate(resolve));
    upstream.sockets[0]!.end();
    await new Promise(resolve => first.socket.once('end', resolve));
    expect(first.socket.destroyed).toBe(true);
    const second = await get(agent, upstream.port);
    expect(second.body).toBe('fresh-2');
  });

  it('reuses a quiet idle socket, and bytes the next answer brings are that answer', async () => {
    const upstream = await rawUpstream();
    const agent = guardedAgent();
    const first = await get(agent, upstream.port);
    await new Promise(resolve => setImmediate(resolve));
    const second = await get(agent, upstream.port);
    expect(second.socket).toBe(first.socket);
    expect(second.body).toBe('fresh-1');
    expect(second.socket.destroyed).toBe(false);
  });
});
