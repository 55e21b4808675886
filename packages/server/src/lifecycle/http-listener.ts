import {
  type Server as HTTPServer,
  type IncomingMessage,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConduitError } from '@conduit/core';
import { drainUnreadBody } from './drain-unread-body.js';
import { type FetchHandler, createNodeRequestListener } from './node-adapter.js';

/** Where a started server listens. */
export interface ListeningAddress {
  url: string;
  port: number;
  host: string;
}

/**
 * Limits on how slowly a client may send its request (slowloris protection), and how long an idle
 * keep-alive connection stays open. The request limits bound receiving the request only: a
 * streamed answer may run as long as the upstream streams.
 */
export interface HTTPTimeouts {
  /** Time to receive the complete request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time to receive the complete request, body included (default 120 s; 0 turns it off). */
  requestTimeoutMs?: number;
  /** How often Node checks the two timeouts above (default 1 s). */
  timeoutCheckIntervalMs?: number;
  /**
   * How long to keep reading (and discarding) a request body the answer did not need, so a client
   * still uploading can read the answer (a 413) before the connection closes (default 10 s).
   */
  unreadBodyDrainMs?: number;
  /**
   * How long an idle keep-alive connection stays open for the client's next request (default
   * 65 s). Longer than the idle timeouts of common clients (undici 4 s, Node's agent) and load
   * balancers (60 s), so the client, not the gateway, closes an idle connection: a gateway that
   * closes first may reset a request the client has just sent on it.
   */
  keepAliveTimeoutMs?: number;
}

const defaultTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  timeoutCheckIntervalMs: 1_000,
  unreadBodyDrainMs: 10_000,
  // Node's 5 s default is shorter than one event-loop stall under heavy load: the idle timer then
  // runs before the next request, already received, is read, and the connection is reset.
  keepAliveTimeoutMs: 65_000,
};

const sleep = (milliseconds: number) =>
  new Promise<void>(resolve => setTimeout(resolve, milliseconds).unref());

/** The Node HTTP server under a Conduit app: listen, and close in stages for graceful shutdown. */
export class HTTPListener {
  private server: HTTPServer | undefined;
  private closed: Promise<void> | undefined;
  address: ListeningAddress | undefined;

  constructor(
    private readonly fetch: FetchHandler,
    private readonly timeouts: HTTPTimeouts = {},
  ) {}

  /** @throws ConduitError `ListenError` naming the port and what to do when it cannot listen. */
  async listen(port: number, host: string): Promise<ListeningAddress> {
    const timeouts = { ...defaultTimeouts, ...this.timeouts };
    const server = createServer(
      {
        // Node closes a connection whose headers are not complete in time with a 408.
        headersTimeout: timeouts.headersTimeoutMs,
        requestTimeout: timeouts.requestTimeoutMs,
        connectionsCheckingInterval: timeouts.timeoutCheckIntervalMs,
      },
      createNodeRequestListener(this.fetch),
    );
    // Idle connections only: the headers and request timeouts above bound a request once it starts.
    server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
    server.on('request', (incoming: IncomingMessage, outgoing: ServerResponse) =>
      drainUnreadBody(incoming, outgoing, timeouts.unreadBodyDrainMs),
    );
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(
          new ConduitError({
            name: 'ListenError',
            message:
              error.code === 'EADDRINUSE'
                ? `Port ${port} on ${host} is already in use. Stop the other process or choose another port (--port, or "PORT" in the config).`
                : `Could not listen on ${host}:${port}: ${error.message}`,
            cause: error,
          }),
        );
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.address = { url: `http://${urlHost}:${bound.port}`, port: bound.port, host };
    return this.address;
  }

  /** Stops accepting connections; open ones (and their in-flight responses) carry on. */
  stopAccepting(): void {
    const server = this.server;
    if (!server || this.closed) return;
    this.closed = new Promise<void>(resolve => server.close(() => resolve()));
    server.closeIdleConnections();
  }

  /**
   * After the in-flight responses ended: closes keep-alive connections as they go idle, and after
   * `graceMs` every connection still open. Resolves when the server has closed.
   */
  async finishClosing(graceMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.stopAccepting();
    const closed = this.closed!;
    let done = false;
    void closed.then(() => {
      done = true;
    });
    const deadline = Date.now() + graceMs;
    // A response that just ended may still be flushing: its socket turns idle a moment later.
    while (!done && Date.now() < deadline) {
      server.closeIdleConnections();
      await Promise.race([closed, sleep(25)]);
    }
    if (!done) server.closeAllConnections();
    await closed;
    this.server = undefined;
    this.closed = undefined;
    this.address = undefined;
  }
}
