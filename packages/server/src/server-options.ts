import type { Logger, RoutingHooks, TokenCounter } from '@conduit/core';
import type { MetricsCollector, UsageTracker } from '@conduit/monitoring';
import type { Hono } from 'hono';
import type { ConduitEnv } from './conduit-env.js';
import type { ConduitServer } from './conduit-server.js';
import type { ResponseHooks } from './extensions/response-hooks.js';
import type { HTTPTimeouts } from './lifecycle/http-listener.js';
import type { UpstreamCallWrapper } from './gateway/upstream-call.js';
import type { RequestObserver } from './observer/request-observer.js';
import type { FetchFunction } from './providers/provider-adapter.js';
import type { TransformerRegistry } from './providers/transformers/transformer-registry.js';
import type { ResilienceClock } from './resilience/resilience-clock.js';
import type { ResilienceEvents } from './resilience/resilience-events.js';
import type { CircuitStateSource } from './services/gateway-health-checks.js';

/**
 * Mounts extra routes on the server's app (e.g. `@conduit/synapse`'s `/api/synapse/*`). Called
 * once, in order, after Conduit's middleware (CORS, shutdown gate, API key) and routes, so
 * extension routes are authenticated like `/v1/messages`; unknown paths still get the Anthropic
 * 404. Use `server` for the config, usage ledger, metrics and health.
 */
export type ConduitExtension = (app: Hono<ConduitEnv>, server: ConduitServer) => void;

/** Options of {@link ConduitServer.stop}. */
export interface StopOptions {
  /** How long in-flight responses may take to finish (default `server.gracefulShutdown.timeoutMs`). */
  timeoutMs?: number;
}

/** Options of `createConduitServer`. */
export interface ConduitServerOptions {
  /** The config file in use: named in messages; relative plugin paths resolve against its folder. */
  configPath?: string;
  /**
   * Routing hooks replacing the built-in `PluginManager` (which loads `plugins` and
   * `CUSTOM_ROUTER_PATH` from the config on start and reloads them on config change).
   */
  hooks?: RoutingHooks;
  logger?: Logger;
  /** Replaces the pooled undici client for upstream calls (tests, custom transports). */
  fetch?: FetchFunction;
  /** Also receives one record per `/v1/messages` request (after the ledger and metrics). */
  observer?: RequestObserver;
  /**
   * Wraps the upstream call, outside the built-in resilience layer (retries, fallbacks, key pools,
   * circuit breakers and timeouts, configured by `resilience` and `fallback`).
   */
  wrapUpstreamCall?: UpstreamCallWrapper;
  /** Observes retries, fallbacks, key cooldowns and circuit changes (circuits also feed metrics). */
  resilienceEvents?: ResilienceEvents;
  /** Time for the resilience layer (tests); default the system clock. */
  resilienceClock?: ResilienceClock;
  /**
   * Circuit breaker states for the `providers` health check and the circuit metric; default the
   * built-in resilience layer's.
   */
  getCircuitStates?: CircuitStateSource;
  /** Transformer registry; defaults to the built-ins. */
  transformers?: TransformerRegistry;
  tokenCounter?: TokenCounter;
  /** Monotonic clock in ms, for latency figures (default `performance.now`). */
  now?: () => number;
  /**
   * `false` turns the usage ledger off (as `usage.enabled: false` does). By default it records
   * every request in `usage.storage` (default `$CONDUIT_HOME/usage.db`).
   */
  usage?: false;
  /** A ledger to use instead of the one `usage.storage` names (the caller closes it). */
  usageTracker?: UsageTracker;
  /** A metrics collector to feed instead of a new one (one registry per server by default). */
  metrics?: MetricsCollector;
  /** `$CONDUIT_HOME` for the default `usage.db` (default: the environment's, else `~/.conduit`). */
  home?: string;
  /**
   * Reload the config file (`configPath`) when it changes. Default: `server.watchConfig`, which
   * defaults to on under `run()` and off otherwise.
   */
  watchConfig?: boolean;
  /** Extra routes (see {@link ConduitExtension}). */
  extensions?: ConduitExtension[];
  /** Response headers and stream transforms per request (see {@link ResponseHooks}). */
  responseHooks?: ResponseHooks;
  /** How slowly clients may send requests (see {@link HTTPTimeouts}; defaults 10 s / 120 s). */
  http?: HTTPTimeouts;
}
