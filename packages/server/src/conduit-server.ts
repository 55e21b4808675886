import { randomUUID } from 'node:crypto';
import type { Server as HTTPServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConduitConfig,
  type ConduitConfigInput,
  ConduitError,
  type Logger,
  type RoutingContext,
  type RoutingDecision,
  type RoutingHooks,
  type TokenCounter,
  ConduitRouter,
  deepMerge,
  getDefaultTokenCounter,
  loadConfig,
  parseConfig,
  silentLogger,
} from '@conduit/core';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ConduitEnv } from './conduit-env.js';
import { createConduitApp } from './create-app.js';
import { GatewaySnapshot } from './gateway/gateway-snapshot.js';
import {
  type UpstreamCall,
  type UpstreamCallWrapper,
  createUpstreamCall,
} from './gateway/upstream-call.js';
import type { RequestObserver } from './observer/request-observer.js';
import { createProviderAdapters } from './providers/index.js';
import type { FetchFunction } from './providers/provider-adapter.js';
import { createDefaultTransformerRegistry } from './providers/transformers/builtin-transformers.js';
import type { TransformerRegistry } from './providers/transformers/transformer-registry.js';
import { validateTransformerConfig } from './providers/transformers/validate-transformer-config.js';
import type { ConduitHealth } from './routes/health.js';
import { type ListenOptions, resolveListenAddress } from './server-address.js';
import { type UpstreamClient, createUpstreamClient } from './upstream/create-upstream-fetch.js';
import { conduitServerVersion } from './version.js';

/** Options of {@link createConduitServer}. */
export interface ConduitServerOptions {
  /** The config file in use (named in error messages). */
  configPath?: string;
  /** Plugin routing hooks (`PluginManager` from `@conduit/plugins`). */
  hooks?: RoutingHooks;
  logger?: Logger;
  /** Replaces the pooled undici client for upstream calls (tests, custom transports). */
  fetch?: FetchFunction;
  /** Receives one record per `/v1/messages` request (usage tracking, metrics). */
  observer?: RequestObserver;
  /** Wraps the upstream call (retries, fallbacks, key pools, circuit breaking). */
  wrapUpstreamCall?: UpstreamCallWrapper;
  /** Transformer registry; defaults to the built-ins. */
  transformers?: TransformerRegistry;
  tokenCounter?: TokenCounter;
  /** Monotonic clock in ms, for latency figures (default `performance.now`). */
  now?: () => number;
}

/** Where a started server listens. */
export interface ListeningAddress {
  url: string;
  port: number;
  host: string;
}

/**
 * The Conduit gateway: an Anthropic Messages API in front of any configured provider.
 *
 * @example
 * ```ts
 * const server = createConduitServer({
 *   Providers: [{ name: 'deepseek', api_base_url: 'https://api.deepseek.com/chat/completions',
 *     api_key: '$DEEPSEEK_API_KEY', models: ['deepseek-chat'] }],
 *   Router: { default: 'deepseek,deepseek-chat' },
 * });
 * const { url } = await server.start({ port: 3456 });
 * // ANTHROPIC_BASE_URL=<url> claude -p "hi"
 * await server.stop();
 * ```
 */
export class ConduitServer {
  /** The Hono app, for in-process use (`server.app.request('/health')`). */
  readonly app: Hono<ConduitEnv>;
  private configInput: ConduitConfigInput;
  private snapshot: GatewaySnapshot;
  private readonly router: ConduitRouter;
  private readonly registry: TransformerRegistry;
  private readonly adapters = createProviderAdapters();
  private readonly options: ConduitServerOptions;
  private readonly logger: Logger;
  private readonly tokenCounter: TokenCounter;
  private readonly startedAt = Date.now();
  private upstreamClient: UpstreamClient | undefined;
  private httpServer: HTTPServer | undefined;
  private address: ListeningAddress | undefined;

  constructor(
    config: ConduitConfig,
    configInput: ConduitConfigInput,
    options: ConduitServerOptions = {},
  ) {
    this.options = options;
    this.configInput = configInput;
    this.logger = options.logger ?? silentLogger;
    this.tokenCounter = options.tokenCounter ?? getDefaultTokenCounter();
    this.registry = options.transformers ?? createDefaultTransformerRegistry();
    this.router = new ConduitRouter(config, {
      hooks: options.hooks,
      tokenCounter: this.tokenCounter,
      logger: this.logger,
      configPath: options.configPath,
    });
    this.snapshot = this.createSnapshot(config);
    const baseCall = createUpstreamCall({ getFetch: () => this.getFetch(), logger: this.logger });
    const upstreamCall: UpstreamCall = options.wrapUpstreamCall
      ? options.wrapUpstreamCall(baseCall)
      : baseCall;
    const now = options.now ?? (() => performance.now());
    this.app = createConduitApp({
      getSnapshot: () => this.snapshot,
      router: this.router,
      upstreamCall,
      observer: options.observer,
      logger: this.logger,
      now,
      createRequestId: () => `req_${randomUUID().replaceAll('-', '')}`,
      getTokenCounter: () => this.tokenCounter,
      getHealth: () => this.getHealth(),
      getBodyLimit: () => this.snapshot.config.server.bodyLimit,
      modelsCreatedAt: new Date(this.startedAt).toISOString(),
    });
  }

  /** The config currently serving new requests. */
  get config(): ConduitConfig {
    return this.snapshot.config;
  }

  /** The listening address, once started. */
  get url(): string | null {
    return this.address?.url ?? null;
  }

  /**
   * Starts listening. Port/host: `options` > `server.port`/`server.host` > `PORT`/`HOST` >
   * 3456 / 127.0.0.1; port 0 picks a free port.
   */
  async start(options: ListenOptions = {}): Promise<ListeningAddress> {
    if (this.address) return this.address;
    const { port, host } = resolveListenAddress(options, this.snapshot.config);
    const server = createAdaptorServer({ fetch: this.app.fetch }) as HTTPServer;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(
          new ConduitError({
            name: 'ListenError',
            message:
              error.code === 'EADDRINUSE'
                ? `Port ${port} on ${host} is already in use. Stop the other process or choose another port (--port, or "PORT" in the config).`
                : `Could not listen on ${host}:${port}: ${error.message}`,
            cause: error,
          }),
        );
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    this.httpServer = server;
    const bound = server.address() as AddressInfo;
    const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.address = { url: `http://${urlHost}:${bound.port}`, port: bound.port, host };
    this.logger.info('conduit listening', { url: this.address.url });
    return this.address;
  }

  /**
   * Stops accepting connections, waits for in-flight responses up to
   * `server.gracefulShutdown.timeoutMs`, then closes what is left and the upstream pool.
   */
  async stop(): Promise<void> {
    const server = this.httpServer;
    this.httpServer = undefined;
    this.address = undefined;
    if (server) {
      const deadline = setTimeout(
        () => server.closeAllConnections(),
        this.snapshot.config.server.gracefulShutdown.timeoutMs,
      );
      deadline.unref();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(deadline);
    }
    const client = this.upstreamClient;
    this.upstreamClient = undefined;
    await client?.close();
  }

  /** Routes a request as `/v1/messages` would, without calling upstream. */
  route(context: RoutingContext): Promise<RoutingDecision> {
    return this.router.route(context);
  }

  getHealth(): ConduitHealth {
    const config = this.snapshot.config;
    const warnings =
      config.Providers.length === 0
        ? [
            `No providers are configured. Add one to ${this.options.configPath ?? 'the config file ($CONDUIT_HOME/config.json)'} under "Providers" and set "Router.default".`,
          ]
        : [];
    return {
      status: warnings.length === 0 ? 'ok' : 'degraded',
      version: conduitServerVersion,
      timestamp: new Date().toISOString(),
      uptimeMs: Date.now() - this.startedAt,
      providers: config.Providers.length,
      models: this.snapshot.choices.length,
      url: this.url,
      warnings,
    };
  }

  /**
   * Merges `partial` into the current config (objects merge, arrays are replaced) and applies it
   * to new requests atomically. In-flight requests finish with the config they started with.
   * @throws ConfigError, keeping the current config, when the result is invalid.
   */
  async updateConfig(partial: Record<string, unknown>): Promise<void> {
    const nextInput = deepMerge(this.configInput as Record<string, unknown>, partial);
    const config = parseConduitConfig(nextInput, {
      configPath: this.options.configPath,
      registry: this.registry,
    });
    this.router.updateConfig(config);
    const previousProxy = this.snapshot.config.PROXY_URL;
    this.snapshot = this.createSnapshot(config);
    this.configInput = nextInput as ConduitConfigInput;
    if (config.PROXY_URL !== previousProxy && this.upstreamClient) {
      const previous = this.upstreamClient;
      this.upstreamClient = undefined;
      previous.close().catch(() => undefined);
    }
  }

  private createSnapshot(config: ConduitConfig): GatewaySnapshot {
    return new GatewaySnapshot({ config, registry: this.registry, adapters: this.adapters });
  }

  private getFetch(): FetchFunction {
    if (this.options.fetch) return this.options.fetch;
    if (!this.upstreamClient) {
      const config = this.snapshot.config;
      const timeouts = config.resilience.timeouts;
      this.upstreamClient = createUpstreamClient({
        proxyUrl: config.PROXY_URL ?? process.env.PROXY_URL,
        connectTimeoutMs: timeouts.connectMs,
        headersTimeoutMs: timeouts.firstByteMs,
        bodyTimeoutMs: timeouts.idleMs,
      });
    }
    return this.upstreamClient.fetch;
  }
}

/** Core's `parseConfig` plus the server's own checks (transformer names and options). */
export function parseConduitConfig(
  input: unknown,
  options: { configPath?: string; registry?: TransformerRegistry } = {},
): ConduitConfig {
  const registry = options.registry ?? createDefaultTransformerRegistry();
  return parseConfig(input, {
    source: options.configPath,
    extraValidators: [config => validateTransformerConfig(config, registry)],
  });
}

/**
 * Creates a server for `configInput` (a CCR `config.json` object or Conduit config). An empty
 * config is valid: the server starts and answers model calls with how to add a provider.
 * @throws ConfigError listing every problem when the config cannot work.
 */
export function createConduitServer(
  configInput: ConduitConfigInput = {},
  options: ConduitServerOptions = {},
): ConduitServer {
  const config = parseConduitConfig(configInput, {
    configPath: options.configPath,
    registry: options.transformers,
  });
  return new ConduitServer(config, configInput, options);
}

/** Options of {@link run}. */
export interface RunOptions extends ListenOptions, Omit<ConduitServerOptions, 'configPath'> {
  /** Config file; default: core's lookup (`$CONDUIT_HOME`, then `~/.claude-code-router`). */
  configPath?: string;
}

/**
 * CCR-style start-up: loads the config from disk, starts the server and resolves once it listens.
 * @throws ConfigError for an unreadable or invalid config, `ListenError` when the port is taken.
 */
export async function run(options: RunOptions = {}): Promise<ConduitServer> {
  const { port, host, configPath, ...serverOptions } = options;
  const registry = serverOptions.transformers ?? createDefaultTransformerRegistry();
  const loaded = await loadConfig({
    path: configPath,
    extraValidators: [config => validateTransformerConfig(config, registry)],
  });
  const server = new ConduitServer(loaded.config, loaded.config as ConduitConfigInput, {
    ...serverOptions,
    transformers: registry,
    configPath: loaded.path ?? undefined,
  });
  await server.start({ port, host });
  return server;
}
