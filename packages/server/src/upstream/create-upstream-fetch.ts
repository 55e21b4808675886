import { Agent, type Dispatcher, ProxyAgent, fetch as undiciFetch } from 'undici';
import type { FetchFunction } from '../providers/provider-adapter.js';

type UndiciBody = NonNullable<Parameters<typeof undiciFetch>[1]>['body'];

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
 * `ProxyAgent`.
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const timeouts = {
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  };
  const dispatcher: Dispatcher = options.proxyUrl
    ? new ProxyAgent({ uri: options.proxyUrl, ...timeouts })
    : new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, ...timeouts });
  const fetch: FetchFunction = (url, init) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      body: encodeJSONTextBody(init) as UndiciBody,
      dispatcher,
    }) as unknown as Promise<Response>;
  return {
    fetch,
    close: async () => {
      await dispatcher.close();
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
