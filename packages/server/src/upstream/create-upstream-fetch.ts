import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { UpstreamFetch } from '../providers/provider-adapter.js';
import { UndiciUpstreamResponse } from './upstream-response.js';

/**
 * undici is required by the first provider call, not when the server is imported: it is about
 * 20 MB of memory and 0.1–0.2 s of start-up that an idle gateway does not need. Resolved from this
 * module (ESM and CJS builds, or a bundle that keeps undici external, as the CLI does).
 */
const requireFromHere = createRequire(import.meta.url);
type Undici = typeof import('undici');

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
  fetch: UpstreamFetch;
  close(): Promise<void>;
}

/**
 * One undici dispatcher for all provider calls: connections are pooled and kept alive, so a
 * conversation's requests reuse the TLS session. With `proxyUrl` every call goes through a
 * `ProxyAgent`. undici and the dispatcher are created by the first call.
 *
 * Calls go through `dispatcher.request`, not `fetch`: WHATWG `fetch` builds `Request`, `Headers`
 * and `Response` objects and a web stream per call, about half a millisecond of CPU per small
 * request here. The answer is an {@link UpstreamResponse}, the part of `Response` adapters read.
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const timeouts = {
    connectTimeout: options.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs,
  };
  let dispatcher: Dispatcher | undefined;
  const connect = (): Dispatcher => {
    if (!dispatcher) {
      const undici = requireFromHere('undici') as Undici;
      dispatcher = options.proxyUrl
        ? new undici.ProxyAgent({ uri: options.proxyUrl, ...timeouts })
        : new undici.Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, ...timeouts });
    }
    return dispatcher;
  };
  const fetch: UpstreamFetch = async (url, init) => {
    const client = connect();
    const { origin, path } = splitURL(url);
    const data = await client.request({
      origin,
      path,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: requestHeaders(init),
      body: init.body as string | Uint8Array | null | undefined,
      signal: init.signal ?? undefined,
      // `request` never follows redirects (as `redirect: 'manual'`); see upstreamRedirectError.
    });
    return new UndiciUpstreamResponse(data);
  };
  return {
    fetch,
    close: async () => {
      await dispatcher?.close();
    },
  };
}

/** The last URLs split into origin and path (a gateway calls a handful of endpoints). */
const splitURLs = new Map<string, { origin: string; path: string }>();

function splitURL(url: string): { origin: string; path: string } {
  let split = splitURLs.get(url);
  if (!split) {
    const parsed = new URL(url);
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (splitURLs.size >= 64) splitURLs.clear();
    splitURLs.set(url, split);
  }
  return split;
}

/**
 * The caller's headers as a plain object, with what `fetch` would have added and upstreams may
 * expect: `content-type` of an untyped string body, `accept` and `user-agent`.
 */
function requestHeaders(init: RequestInit): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = init.headers;
  if (given instanceof Headers || Array.isArray(given)) {
    for (const [name, value] of given) headers[name!.toLowerCase()] = value!;
  } else if (given) {
    for (const [name, value] of Object.entries(given)) headers[name.toLowerCase()] = value;
  }
  if (typeof init.body === 'string' && headers['content-type'] === undefined) {
    headers['content-type'] = 'text/plain;charset=UTF-8';
  }
  headers.accept ??= '*/*';
  headers['user-agent'] ??= 'undici';
  return headers;
}
