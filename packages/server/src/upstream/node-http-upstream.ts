import { createRequire } from 'node:module';
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { type Socket, isIP } from 'node:net';
import type { UpstreamFetch } from '../providers/provider-adapter.js';
import { guardIdleSockets, keepAliveAgentOptions } from './guarded-keep-alive-agent.js';
import { PooledUpstreamResponse } from './upstream-response.js';
import { requestHeaders } from './upstream-request-headers.js';

/** `https` (and TLS) are loaded by the first https call. */
const requireFromHere = createRequire(import.meta.url);
type HTTP = typeof import('node:http');

/** The pool's timeouts; 0 disables one. Defaults as undici's. */
export interface UpstreamTimeouts {
  connectTimeoutMs?: number;
  /** Time to the upstream's response headers. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks. */
  bodyTimeoutMs?: number;
}

/** TLS settings of the https agent (tests trust their own certificate authority with `ca`). */
export interface UpstreamTLSOptions {
  ca?: string | Buffer;
}

/** A timeout, with the codes undici gives them (`createUpstreamNetworkError` reads them). */
export class UpstreamTimeoutError extends Error {
  constructor(
    readonly code: 'UND_ERR_CONNECT_TIMEOUT' | 'UND_ERR_HEADERS_TIMEOUT' | 'UND_ERR_BODY_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamTimeoutError';
  }
}

/**
 * Provider calls to http(s) upstreams over Node's keep-alive agents with the idle-socket guard
 * ({@link guardIdleSockets}). Each request is written as soon as it is made, on a pooled socket
 * or a new one: a burst of requests reaches the upstream spread out as it is parsed, not at once.
 * No redirect is followed; `content-encoding` is decoded by {@link PooledUpstreamResponse}.
 */
export function createNodeHTTPUpstream(
  timeouts: UpstreamTimeouts,
  tls: UpstreamTLSOptions = {},
): {
  fetch: UpstreamFetch;
  close(): void;
} {
  const connectMs = timeouts.connectTimeoutMs ?? 10_000;
  const headersMs = timeouts.headersTimeoutMs ?? 300_000;
  const bodyMs = timeouts.bodyTimeoutMs ?? 300_000;
  const modules: { http?: HTTP; https?: HTTP; httpAgent?: Agent; httpsAgent?: Agent } = {};
  const transport = (secure: boolean): { module: HTTP; agent: Agent } => {
    if (secure) {
      modules.https ??= requireFromHere('node:https') as HTTP;
      modules.httpsAgent ??= guardIdleSockets(
        new modules.https.Agent({ ...keepAliveAgentOptions, ...tls }),
      );
      return { module: modules.https, agent: modules.httpsAgent };
    }
    modules.http ??= requireFromHere('node:http') as HTTP;
    modules.httpAgent ??= guardIdleSockets(new modules.http.Agent(keepAliveAgentOptions));
    return { module: modules.http, agent: modules.httpAgent };
  };

  const fetch: UpstreamFetch = (url, init) =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const target = parseTarget(url);
      const { module, agent } = transport(target.secure);
      const headers = requestHeaders(init);
      // (`servername` is read by the agent; `http`'s option types do not list it.)
      const options: RequestOptions & { servername?: string } = {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        method: init.method ?? 'GET',
        headers,
        // What the agent would work out again for every request (TLS server name: the host, none
        // for an IP address), unless a `host` header says otherwise.
        servername: headers.host === undefined ? target.servername : undefined,
      };
      const request: ClientRequest = module.request(options);
      let response: IncomingMessage | undefined;
      let socket: Socket | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;

      const fail = (error: unknown) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
        // Destroying the answer first gives its reader this error, not a bare `aborted`.
        response?.destroy(error as Error);
        request.destroy();
        cleanUp();
      };
      const onAbort = () => fail(signal?.reason);
      const arm = (ms: number, onExpired: () => void) => {
        if (timer) clearTimeout(timer);
        // Unref'd as undici's: the socket in use keeps the process alive, an answer nobody
        // reads (its socket gone) must not.
        timer = ms > 0 ? setTimeout(onExpired, ms).unref() : undefined;
      };
      const startHeadersTimeout = () =>
        arm(headersMs, () =>
          fail(new UpstreamTimeoutError('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error')),
        );
      const refreshBodyTimeout = () => timer?.refresh();
      const cleanUp = () => {
        if (timer) clearTimeout(timer);
        timer = undefined;
        signal?.removeEventListener('abort', onAbort);
        socket?.off('data', refreshBodyTimeout);
      };

      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.on('socket', (assigned: Socket) => {
        socket = assigned;
        if (!assigned.connecting) {
          startHeadersTimeout();
          return;
        }
        arm(connectMs, () =>
          fail(
            new UpstreamTimeoutError(
              'UND_ERR_CONNECT_TIMEOUT',
              `Connect Timeout Error (attempted address: ${target.hostname}:${target.port}, timeout: ${connectMs}ms)`,
            ),
          ),
        );
        assigned.once(target.secure ? 'secureConnect' : 'connect', startHeadersTimeout);
      });
      request.on('response', (answer: IncomingMessage) => {
        response = answer;
        settled = true;
        // Longest silence between two body chunks, not counting time the reader holds them up
        // (a paused socket is backpressure, as undici's body timeout).
        const onBodySilence = () => {
          if (socket?.isPaused()) arm(bodyMs, onBodySilence);
          else fail(new UpstreamTimeoutError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'));
        };
        arm(bodyMs, onBodySilence);
        socket?.on('data', refreshBodyTimeout);
        answer.on('close', cleanUp);
        answer.on('error', () => undefined);
        resolve(new PooledUpstreamResponse(answer.statusCode ?? 0, answer.headers, answer));
      });
      request.end(init.body as string | Uint8Array | null | undefined);
    });

  return {
    fetch,
    close: () => {
      modules.httpAgent?.destroy();
      modules.httpsAgent?.destroy();
    },
  };
}

interface UpstreamTarget {
  secure: boolean;
  hostname: string;
  servername: string;
  port: number;
  path: string;
}

/** The last URLs parsed (a gateway calls a handful of endpoints). */
const targets = new Map<string, UpstreamTarget>();

function parseTarget(url: string): UpstreamTarget {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    const secure = parsed.protocol === 'https:';
    if (!secure && parsed.protocol !== 'http:') {
      throw new TypeError(`Unsupported upstream protocol "${parsed.protocol}" in ${parsed.origin}`);
    }
    // `[::1]` → `::1`: `http.request` takes the bare address.
    const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    target = {
      secure,
      hostname,
      servername: isIP(hostname) ? '' : hostname,
      port: parsed.port ? Number(parsed.port) : secure ? 443 : 80,
      path: `${parsed.pathname}${parsed.search}`,
    };
    if (targets.size >= 64) targets.clear();
    targets.set(url, target);
  }
  return target;
}
