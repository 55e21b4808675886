import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type ClientPresence, nodeBindingsOf, watchNodeClient } from './node-bindings.js';

/** A real server on 127.0.0.1 whose handler watches its client and answers when told to. */
async function startWatchingServer(): Promise<{
  server: Server;
  port: number;
  watched: Promise<{ presence: ClientPresence; outgoing: ServerResponse; gone: Promise<unknown> }>;
}> {
  let resolveWatched!: (value: {
    presence: ClientPresence;
    outgoing: ServerResponse;
    gone: Promise<unknown>;
  }) => void;
  const watched = new Promise<{
    presence: ClientPresence;
    outgoing: ServerResponse;
    gone: Promise<unknown>;
  }>(resolve => {
    resolveWatched = resolve;
  });
  const server = createServer(async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    // The gateway has read the body by the time it watches (reading it is its first step).
    incoming.resume();
    if (!incoming.readableEnded) await once(incoming, 'end');
    const presence = watchNodeClient({ incoming, outgoing });
    const gone = new Promise<unknown>(resolve => presence.onGone(resolve));
    resolveWatched({ presence, outgoing, gone });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, watched };
}

describe('nodeBindingsOf', () => {
  it('finds the Node request and response in a Hono env, and nothing in-process', () => {
    const incoming = {} as IncomingMessage;
    const outgoing = {} as ServerResponse;
    expect(nodeBindingsOf({ incoming, outgoing })).toEqual({ incoming, outgoing });
    expect(nodeBindingsOf(undefined)).toBeUndefined();
    expect(nodeBindingsOf({})).toBeUndefined();
    expect(nodeBindingsOf({ incoming })).toBeUndefined();
  });
});

describe('watchNodeClient (real HTTP on 127.0.0.1)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise(resolve => server?.close(resolve));
    server = undefined;
  });

  it('reports a client that closes before the answer is finished', async () => {
    const started = await startWatchingServer();
    server = started.server;
    const socket = connect(started.port, '127.0.0.1');
    socket.write('POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}');
    const { presence, gone } = await started.watched;
    expect(presence.isGone()).toBe(false);
    socket.destroy();
    expect(await gone).toBe('Client connection prematurely closed.');
    expect(presence.isGone()).toBe(true);
    // A listener added after the client left hears it at once.
    await expect(new Promise(resolve => presence.onGone(resolve))).resolves.toBe(
      'Client connection prematurely closed.',
    );
  });

  it('does not report a client whose answer was finished', async () => {
    const started = await startWatchingServer();
    server = started.server;
    const responded = fetch(`http://127.0.0.1:${started.port}/health`, {
      headers: { connection: 'close' },
    });
    const { presence, outgoing } = await started.watched;
    outgoing.end('ok');
    const response = await responded;
    expect(await response.text()).toBe('ok');
    if (!outgoing.closed) await once(outgoing, 'close');
    expect(presence.isGone()).toBe(false);
  });
});
