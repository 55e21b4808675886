/**
 * The plugin interface. It lives in core so the router can call plugins without depending on
 * `@conduit/plugins`, which implements loading and isolation.
 * @module
 */
import type { RequestRoutingContext, RoutingContext, RoutingDecision } from './routing.js';

/** Health a plugin reports; aggregated into the server's health output. */
export interface PluginHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  message?: string;
  details?: Record<string, unknown>;
}

/** Result of `validateConfig`: `true`/`{ valid: true }` accepts; a string or list of strings rejects. */
export type PluginConfigValidation =
  | boolean
  | string
  | string[]
  | { valid: boolean; errors?: string[] };

/** What a plugin receives in `onLoad`. */
export interface PluginLoadContext {
  /** The plugin's own `config` block from the Conduit config. */
  config: Record<string, unknown>;
  /** The whole (interpolated) Conduit config, read-only. */
  conduitConfig: Readonly<Record<string, unknown>>;
  logger: PluginLogger;
}

export interface PluginLogger {
  debug(message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

type MaybePromise<T> = T | Promise<T>;

/**
 * A Conduit plugin. Every hook is optional.
 *
 * @example
 * ```ts
 * const plugin: ConduitPlugin = {
 *   name: 'cheap-background',
 *   customRouter: context =>
 *     context.tokenCount !== undefined && context.tokenCount < 500 ? 'ollama,qwen2.5-coder' : null,
 * };
 * ```
 */
export interface ConduitPlugin {
  name: string;
  version?: string;
  description?: string;
  onLoad?(context: PluginLoadContext): MaybePromise<void>;
  onUnload?(): MaybePromise<void>;
  /**
   * May return a modified context (e.g. added metadata, or the seed plan's `model`/`message`
   * changed); returning nothing keeps it. The context always carries `request` (built from `model`
   * and `message` when the caller gave the seed plan's shape).
   */
  beforeRouting?(context: RequestRoutingContext): MaybePromise<RoutingContext | undefined | void>;
  /** May return a modified decision; returning nothing keeps it. */
  afterRouting?(
    decision: RoutingDecision,
    context: RequestRoutingContext,
  ): MaybePromise<RoutingDecision | undefined | void>;
  /**
   * Picks a route outright: a `provider,model` string, a partial decision, or null to pass.
   * The first plugin (in config order) that answers wins.
   */
  customRouter?(
    context: RequestRoutingContext,
  ): MaybePromise<string | CustomRouteResult | null | undefined>;
  /** `{ status }`, or the seed plan's `HealthStatus` (`{ healthy, … }`: `false` is `unhealthy`). */
  getHealth?(): MaybePromise<PluginHealth | { healthy: boolean }>;
  validateConfig?(config: Record<string, unknown>): MaybePromise<PluginConfigValidation>;
}

/** A partial decision returned by `customRouter`. */
export interface CustomRouteResult {
  provider: string;
  model: string;
  reason?: string;
  confidence?: number;
  metadata?: Record<string, unknown>;
}

/** How a plugin is configured (`config.plugins[]`). */
export interface PluginConfig {
  /** Other keys are kept (e.g. CCR v2's `options`, `hookTimeoutMs`), as in the config schema. */
  [key: string]: unknown;
  name: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
  /** `file` (path relative to the config file), `npm` (installed package name), `inline` (module object). */
  source?: 'file' | 'npm' | 'inline' | 'builtin';
  path?: string;
  module?: string | ConduitPlugin | { default: ConduitPlugin };
  /** CCR v2 spelling of `config`. */
  options?: Record<string, unknown>;
  /** Per-plugin override of the host's hook timeout, in ms. */
  hookTimeoutMs?: number;
}

/**
 * What the router needs from a plugin host (implemented by `PluginManager` in `@conduit/plugins`).
 * Implementations must isolate failures: a throwing or hanging plugin is skipped, never fatal.
 */
export interface RoutingHooks {
  beforeRouting(context: RoutingContext): Promise<RoutingContext>;
  /**
   * Whether `beforeRouting` may change the request (some hook is active). When absent, the router
   * assumes it may: the server then forwards the request as the hooks left it, never stale bytes.
   */
  rewritesRequests?(): boolean;
  /**
   * True while no hook would do anything (no active plugin has one): the router then skips all
   * three for that request, as each would hand back what it was given. Absent means never idle.
   */
  isIdle?(): boolean;
  /** The first plugin answer, with the plugin's name, or null. */
  customRoute(
    context: RequestRoutingContext,
  ): Promise<{ pluginName: string; result: string | CustomRouteResult } | null>;
  afterRouting(decision: RoutingDecision, context: RequestRoutingContext): Promise<RoutingDecision>;
}
