import type { ParsedConduitConfig } from '@conduit/core';
import type { FetchFunction, UpstreamFetch } from '../providers/provider-adapter.js';
import { type UpstreamClient, createUpstreamClient } from './create-upstream-fetch.js';

/**
 * The pooled upstream client, created on first use from the current config and replaced when
 * `PROXY_URL` changes. An injected `fetch` (tests, custom transports) bypasses it.
 */
export class UpstreamClientHolder {
  private client: UpstreamClient | undefined;

  constructor(
    private readonly getConfig: () => ParsedConduitConfig,
    private readonly injectedFetch?: FetchFunction,
  ) {}

  getFetch(): UpstreamFetch {
    if (this.injectedFetch) return this.injectedFetch;
    if (!this.client) {
      const config = this.getConfig();
      this.client = createUpstreamClient({
        proxyUrl: config.PROXY_URL ?? process.env.PROXY_URL,
        ...poolTimeouts(config),
      });
    }
    return this.client.fetch;
  }

  /**
   * Drops the pool when the proxy or the pool's timeouts changed (connections in use finish on the
   * old one).
   */
  onConfigChange(previous: ParsedConduitConfig, next: ParsedConduitConfig): void {
    const before = poolTimeouts(previous);
    const after = poolTimeouts(next);
    if (
      next.PROXY_URL !== previous.PROXY_URL ||
      before.connectTimeoutMs !== after.connectTimeoutMs ||
      before.headersTimeoutMs !== after.headersTimeoutMs ||
      before.bodyTimeoutMs !== after.bodyTimeoutMs
    ) {
      void this.close();
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}

/**
 * The pool's socket-level timeouts. One pool serves every provider, so it takes the longest value
 * any provider allows: the resilience layer enforces each provider's own `firstByteMs`/`idleMs`
 * per request, and these are the backstop, a second later so that the layer, which reports a
 * silent stream as a timeout, always fires first (the pool's timer restarts when bytes reach the
 * socket, the layer's when the translation reads them). `connectMs` is pool-wide.
 */
function poolTimeouts(config: ParsedConduitConfig): {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
} {
  const timeouts = config.resilience.timeouts;
  const overrides = config.Providers.map(provider => provider.timeouts ?? {});
  return {
    connectTimeoutMs: timeouts.connectMs,
    headersTimeoutMs: backstop(
      Math.max(timeouts.firstByteMs, ...overrides.map(item => item.firstByteMs ?? 0)),
    ),
    bodyTimeoutMs: backstop(Math.max(timeouts.idleMs, ...overrides.map(item => item.idleMs ?? 0))),
  };
}

/** A pool timeout behind the resilience layer's; 0 (none) stays 0. */
function backstop(timeoutMs: number): number {
  return timeoutMs > 0 ? timeoutMs + 1000 : 0;
}
