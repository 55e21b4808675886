import type { ConduitConfig } from '@conduit/core';
import type { FetchFunction } from '../providers/provider-adapter.js';
import { type UpstreamClient, createUpstreamClient } from './create-upstream-fetch.js';

/**
 * The pooled upstream client, created on first use from the current config and replaced when
 * `PROXY_URL` changes. An injected `fetch` (tests, custom transports) bypasses it.
 */
export class UpstreamClientHolder {
  private client: UpstreamClient | undefined;

  constructor(
    private readonly getConfig: () => ConduitConfig,
    private readonly injectedFetch?: FetchFunction,
  ) {}

  getFetch(): FetchFunction {
    if (this.injectedFetch) return this.injectedFetch;
    if (!this.client) {
      const config = this.getConfig();
      const timeouts = config.resilience.timeouts;
      this.client = createUpstreamClient({
        proxyUrl: config.PROXY_URL ?? process.env.PROXY_URL,
        connectTimeoutMs: timeouts.connectMs,
        headersTimeoutMs: timeouts.firstByteMs,
        bodyTimeoutMs: timeouts.idleMs,
      });
    }
    return this.client.fetch;
  }

  /** Drops the pool when the proxy changed (connections in use finish on the old one). */
  onConfigChange(previous: ConduitConfig, next: ConduitConfig): void {
    if (next.PROXY_URL !== previous.PROXY_URL) void this.close();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}
