import type {
  CredentialAuthenticator,
  ParsedConduitConfig,
  Logger,
  RequestAdmission,
  RouterOverrideLookup,
  RoutingHooks,
  ServerExtension,
  TokenCounter,
} from '@conduit/core';
import type { Hono } from 'hono';
import type { ConduitEnv } from './conduit-env.js';
import type { ConduitHealth, HealthReporter } from './routes/health.js';
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
 * Mounts extra routes on the server's app directly (the Hono-level form of an extension). Called
 * once, in order, after Conduit's middleware (CORS, shutdown gate, API key) and routes, so
 * extension routes are authenticated like `/v1/messages`; unknown paths still get the Anthropic
 * 404. Use `server` for the config and health. For everything else (routing hooks, observers,
 * health checks, lifecycle) pass a core `ServerExtension` object instead.
 */
export type ConduitExtension = (app: Hono<ConduitEnv>, server: ConduitServerView) => void;

/** What a {@link ConduitExtension} reads from the server (a `ConduitServer` is one). */
export interface ConduitServerView {
  /** The config currently serving new requests. */
  readonly config: ParsedConduitConfig;
  /** The listening URL, once started. */
  readonly url: string | null;
  /** Liveness and the health checks' latest results (what `GET /health` answers). */
  getHealth(): ConduitHealth;
}

/** Options of `ConduitServer.stop`. */
export interface StopOptions {
  /** How long in-flight responses may take to finish (default `server.gracefulShutdown.timeoutMs`). */
  timeoutMs?: number;
}

/** Options of `createConduitServer`. */
export interface ConduitServerOptions {
  /** The config file in use: named in messages; relative plugin paths resolve against its folder. */
  configPath?: string;
  /**
   * The config already parsed from the `configInput` given beside it (`parseConduitConfig`), so it
   * is not parsed twice (`$VAR` interpolation must run once). The composition root passes it.
   */
  parsedConfig?: ParsedConduitConfig;
  /**
   * Routing hooks, run before the extensions' (`@conduit/plugins`' `plugins()` provides the
   * config's plugins and `CUSTOM_ROUTER_PATH`; the meta-package `@conduit/conduit` wires it).
   */
  hooks?: RoutingHooks;
  logger?: Logger;
  /** Replaces the pooled undici client for upstream calls (tests, custom transports). */
  fetch?: FetchFunction;
  /** Also receives one record per `/v1/messages` request (after the extensions' observers). */
  observer?: RequestObserver;
  /**
   * Wraps the upstream call, outside the built-in resilience layer (retries, fallbacks, key pools,
   * circuit breakers and timeouts, configured by `resilience` and `fallback`).
   */
  wrapUpstreamCall?: UpstreamCallWrapper;
  /** Observes retries, fallbacks, key cooldowns and circuit changes (circuits also reach extensions). */
  resilienceEvents?: ResilienceEvents;
  /** Time for the resilience layer (tests); default the system clock. */
  resilienceClock?: ResilienceClock;
  /**
   * Circuit breaker states for the `providers` health check (also reported to extensions);
   * default the built-in resilience layer's.
   */
  getCircuitStates?: CircuitStateSource;
  /** Transformer registry; defaults to the built-ins. */
  transformers?: TransformerRegistry;
  tokenCounter?: TokenCounter;
  /** Monotonic clock in ms, for latency figures (default `performance.now`). */
  now?: () => number;
  /**
   * Reload the config file (`configPath`) when it changes. Default: `server.watchConfig`, which
   * defaults to on under `run()` and off otherwise.
   */
  watchConfig?: boolean;
  /** `$CONDUIT_HOME`, for CCR's project Router overrides in `<home>/projects` (default: the environment's). */
  home?: string;
  /**
   * CCR's project/session `Router` overrides. Default: `createProjectRouterLookup` over
   * `~/.claude/projects`, `$CONDUIT_HOME/projects/<project>/` and `~/.claude-code-router/<project>/`;
   * `false` turns them off.
   */
  routerOverrides?: RouterOverrideLookup | false;
  /**
   * What plugs into the server: core `ServerExtension` objects (routing hooks, observer, response
   * hooks, routes, health checks, lifecycle; e.g. `plugins()`, `monitoring()`, `synapse()`), or
   * Hono-level {@link ConduitExtension} functions. Applied in order.
   */
  extensions?: (ServerExtension | ConduitExtension)[];
  /**
   * Paths whose extension authenticates requests itself (e.g. `@conduit/ui`: a session cookie or
   * the API key): the `APIKEY` check lets them through to it. The extension must then refuse
   * unauthenticated requests on its own.
   */
  selfAuthenticatedPaths?: (method: string, path: string) => boolean;
  /** Response headers and stream transforms per request (see {@link ResponseHooks}). */
  responseHooks?: ResponseHooks;
  /**
   * Checks credentials that are not `APIKEY` (e.g. `@conduit/fleet`'s virtual keys): the
   * principal it returns is accepted and its bindings override the client's routing headers; a
   * `RequestRefusedError` it throws is the answer. `APIKEY` keeps working beside it.
   */
  authenticate?: CredentialAuthenticator;
  /**
   * Admits or refuses every routed `/v1/messages` request before the upstream call (rate limits,
   * budgets); the ticket it returns adds response headers and is settled when the request ends.
   */
  admission?: RequestAdmission;
  /** Components reporting their own status in `GET /health` (see {@link HealthReporter}). */
  healthReporters?: HealthReporter[];
  /**
   * How slowly clients may send requests and how long idle keep-alive connections stay open (see
   * {@link HTTPTimeouts}; defaults 10 s / 120 s / 65 s).
   */
  http?: HTTPTimeouts;
}
