import { Agent, type Dispatcher, ProxyAgent, fetch as undiciFetch } from 'undici';
import type { FetchFunction } from '../providers/provider-adapter.js';

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
      dispatcher,
    }) as unknown as Promise<Response>;
  return {
    fetch,
    close: async () => {
      await dispatcher.close();
    },
  };
}
