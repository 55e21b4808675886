import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import type { UpstreamFetch } from '../providers/provider-adapter.js';
import { type UpstreamTimeouts, createNodeHTTPUpstream } from './node-http-upstream.js';
import { PooledUpstreamResponse } from './upstream-response.js';
import { requestHeaders } from './upstream-request-headers.js';

/**
 * undici (for `PROXY_URL`) is required by the first proxied call, not when the server is imported: it is about
 * 20 MB of memory and 0.1–0.2 s of start-up that an idle gateway does not need. Resolved from this
 * module (ESM and CJS builds, or a bundle that keeps undici external, as the CLI does).
 */
const requireFromHere = createRequire(import.meta.url);
type Undici = typeof import('undici');

/** Connection settings of the upstream client. */
export interface UpstreamClientOptions extends UpstreamTimeouts {
  /** `PROXY_URL` (CCR): an HTTP(S) proxy for every provider call. */
  proxyUrl?: string;
}

/** A pooled keep-alive upstream client. */
export interface UpstreamClient {
  fetch: UpstreamFetch;
  close(): Promise<void>;
}

/**
 * The pooled keep-alive client of all provider calls: connections are reused, so a
 * conversation's requests reuse the TLS session.
 *
 * Direct http(s) upstreams go through Node's `http`/`https` agents ({@link createNodeHTTPUpstream}):
 * each request is written as soon as it is made. undici 7 writes a request on a reused idle
 * connection only in the event loop's check phase (its guard against unsolicited bytes on an idle
 * socket), so 32 requests parsed in one turn all left together and came back together: every
 * one waited for the whole burst. The Node agents keep an equivalent guard (see
 * `guardIdleSockets`). With `proxyUrl` every call goes through an undici `ProxyAgent`
 * (`dispatcher.request`: no `Request`/`Response` objects per call), created by the first call.
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const timeouts = {
    connectTimeoutMs: options.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  };
  if (!options.proxyUrl) {
    const direct = createNodeHTTPUpstream(timeouts);
    return {
      fetch: direct.fetch,
      close: async () => direct.close(),
    };
  }
  const proxyUrl = options.proxyUrl;
  let dispatcher: Dispatcher | undefined;
  const connect = (): Dispatcher => {
    if (!dispatcher) {
      const undici = requireFromHere('undici') as Undici;
      dispatcher = new undici.ProxyAgent({
        uri: proxyUrl,
        connectTimeout: timeouts.connectTimeoutMs,
        headersTimeout: timeouts.headersTimeoutMs,
        bodyTimeout: timeouts.bodyTimeoutMs,
      });
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
    return new PooledUpstreamResponse(data.statusCode, data.headers, data.body);
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
