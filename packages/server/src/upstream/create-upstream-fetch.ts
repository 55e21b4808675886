import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { FetchFunction } from '../providers/provider-adapter.js';

/**
 * undici is required by the first provider call, not when the server is imported: it is about
 * 20 MB of memory and 0.1–0.2 s of start-up that an idle gateway does not need. Resolved from this
 * module (ESM and CJS builds, or a bundle that keeps undici external, as the CLI does).
 */
const requireFromHere = createRequire(import.meta.url);
type Undici = typeof import('undici');
type UndiciBody = NonNullable<Parameters<Undici['fetch']>[1]>['body'];

/** Connection settings of the upstream client. */
export interface UpstreamClientOptions {
  /** `PROXY_URL` (CCR): an HTTP(S) proxy for every provider call. */
  proxyUrl?: string;
  connectTimeoutMs?: number;
  /** Time to the upstream's response headers. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks. */
  bodyTimeoutMs?: number;
}

/** A pooled keep-alive upstream client. */
export interface UpstreamClient {
  fetch: FetchFunction;
  close(): Promise<void>;
}

/**
 * One undici dispatcher for all provider calls: connections are pooled and kept alive, so a
 * conversation's requests reuse the TLS session. With `proxyUrl` every call goes through a
 * `ProxyAgent`. undici and the dispatcher are created by the first call.
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const timeouts = {
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  };
  let undici: Undici | undefined;
  let dispatcher: Dispatcher | undefined;
  const connect = (): { undici: Undici; dispatcher: Dispatcher } => {
    if (!undici || !dispatcher) {
      undici = requireFromHere('undici') as Undici;
      dispatcher = options.proxyUrl
        ? new undici.ProxyAgent({ uri: options.proxyUrl, ...timeouts })
        : new undici.Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, ...timeouts });
    }
    return { undici, dispatcher };
  };
  const fetch: FetchFunction = (url, init) => {
    const client = connect();
    return client.undici.fetch(url, {
      ...(init as Parameters<Undici['fetch']>[1]),
      body: encodeJSONTextBody(init) as UndiciBody,
      dispatcher: client.dispatcher,
    }) as unknown as Promise<Response>;
  };
  return {
    fetch,
    close: async () => {
      await dispatcher?.close();
    },
  };
}

/**
 * A typed string body as UTF-8 bytes. undici's `fetch` runs a string body through `toWellFormed()`
 * (a copy of the whole UTF-16 text) and then a `TextEncoder`; `Buffer.from` does both in one native
 * pass (lone surrogates become U+FFFD either way). Only when the caller set `content-type`: an
 * untyped string body keeps undici's `text/plain;charset=UTF-8`.
 */
function encodeJSONTextBody(init: RequestInit | undefined): RequestInit['body'] {
  const body = init?.body;
  if (typeof body !== 'string' || !hasContentType(init?.headers)) return body;
  return Buffer.from(body, 'utf8');
}

function hasContentType(headers: HeadersInit | undefined): boolean {
  if (!headers) return false;
  if (headers instanceof Headers) return headers.has('content-type');
  if (Array.isArray(headers))
    return headers.some(([name]) => name?.toLowerCase() === 'content-type');
  return Object.keys(headers).some(name => name.toLowerCase() === 'content-type');
}
