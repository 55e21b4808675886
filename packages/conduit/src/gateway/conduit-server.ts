/**
 * The meta-package's `ConduitServer`: the whole gateway a config asks for, in the seed plan's
 * shape (`new ConduitServer(config)`, `start()`, `route(context)`, `getHealth()`, `stop()`).
 * @module
 */
import {
  type ConduitConfigInput,
  ConfigError,
  type ParsedConduitConfig,
  type RoutingContext,
  type RoutingDecision,
} from '@conduit/core';
import type { HealthStatus } from '@conduit/monitoring';
import {
  type ConduitHealth,
  type ListeningAddress,
  type ListenOptions,
  parseConduitConfig,
  type StopOptions,
  type ConduitServer as BareConduitServer,
} from '@conduit/server';
import { usesSynapse } from '@conduit/synapse';
import {
  createSynapseServer,
  type SynapseServer,
  type SynapseServerOptions,
} from '../synapse/create-synapse-server.js';
import { type ConduitGateway, type ConduitOptions, createConduit } from './create-conduit.js';

/**
 * What the meta-package's `ConduitServer` takes: a Conduit config (as written), or the seed plan's
 * `{ initialConfig: config }` (what `createConduitClient(config)` passes).
 */
export type EnhancedServerConfig = ConduitConfigInput & { initialConfig?: ConduitConfigInput };

/** Options of the meta-package's {@link ConduitServer}: the server's, plus Synapse's ledger options. */
export type ConduitGatewayOptions = SynapseServerOptions & ConduitOptions;

type Gateway =
  | { kind: 'server'; server: ConduitGateway }
  | { kind: 'synapse'; server: SynapseServer };

/**
 * The whole gateway the config asks for: `@conduit/server` with the config's plugins and the usage
 * ledger; with the Synapse plugin, ledger and `/api/synapse` routes when the config uses Synapse
 * (`preset: "synapse"`, a `synapse` section or a `synapse` plugin entry).
 *
 * @example
 * ```ts
 * const conduit = new ConduitServer({
 *   preset: 'synapse',
 *   server: { port: 3456, healthCheck: true },
 *   Providers: [...],
 *   Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
 * });
 * await conduit.start();
 * const decision = await conduit.route({ tokenCount: 1000, model: 'claude-3-5-sonnet-20241022', message: 'hi', metadata: {} });
 * await conduit.stop();
 * ```
 */
export class ConduitServer {
  /** The config as given (without `initialConfig` wrapping). */
  private configInput: ConduitConfigInput;
  private readonly options: ConduitGatewayOptions;
  private readonly startTime = new Date();
  private gateway: Gateway | undefined;
  private building: Promise<Gateway> | undefined;
  private stopped = false;

  /** @throws ConfigError listing every problem of an invalid config. */
  constructor(config: EnhancedServerConfig = {}, options: ConduitGatewayOptions = {}) {
    const { initialConfig, ...rest } = config;
    this.configInput = initialConfig ?? rest;
    this.options = options;
    const parsed = parseConduitConfig(this.configInput, {
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.transformers ? { registry: options.transformers } : {}),
    });
    // The bare server is built at once; Synapse's (which loads its plugin first) on first use.
    if (!usesSynapse(parsed)) {
      this.gateway = { kind: 'server', server: createConduit(this.configInput, options) };
    }
  }

  /** True when the config uses Synapse (the Synapse plugin, ledger and routes are wired in). */
  get usesSynapse(): boolean {
    return this.gateway?.kind !== 'server';
  }

  /** The config serving new requests (parsed), once the gateway is built. */
  get config(): ParsedConduitConfig | undefined {
    return this.bare()?.config;
  }

  /** The listening URL, once started. */
  get url(): string | null {
    return this.gateway?.server.url ?? null;
  }

  /** Builds the gateway (and, for Synapse, loads its plugins) without listening. */
  async initialize(): Promise<void> {
    const gateway = await this.ready();
    if (gateway.kind === 'server') await gateway.server.initialize();
  }

  /**
   * Starts listening on `options`, else `server.port`/`server.host` (default 127.0.0.1:3456).
   * @throws ConfigError after `stop()`: create a new server to start again.
   */
  async start(options: ListenOptions = {}): Promise<ListeningAddress> {
    const gateway = await this.ready();
    return gateway.server.start(options);
  }

  /** Graceful shutdown (see `@conduit/server`'s `stop`); `getHealth().healthy` is false after it. */
  async stop(options: StopOptions = {}): Promise<void> {
    this.stopped = true;
    const gateway = this.gateway ?? (await this.building?.catch(() => undefined));
    await gateway?.server.stop(options);
  }

  /**
   * Routes without calling upstream, through the config's plugins (Synapse's included): an
   * Anthropic `request` or the seed plan's `{ tokenCount, model, message, metadata }`.
   */
  async route(context: RoutingContext): Promise<RoutingDecision> {
    const gateway = await this.ready();
    return gateway.kind === 'server'
      ? gateway.server.route(context)
      : gateway.server.conduit.route(context);
  }

  /**
   * The gateway's health (what `GET /health` reports) with the seed plan's `healthy`, `uptime`
   * and `startTime`. Before a Synapse gateway is built, a minimal status.
   */
  getHealth(): ConduitHealth | HealthStatus {
    const bare = this.bare();
    if (bare) return bare.getHealth();
    return {
      healthy: !this.stopped,
      checks: [],
      uptime: Date.now() - this.startTime.getTime(),
      startTime: new Date(this.startTime.getTime()),
    };
  }

  /**
   * Deep-merges `partial` into the config and applies it to new requests (plugins reload).
   * @throws ConfigError, keeping the current config, when the result is invalid.
   */
  async updateConfig(partial: Partial<ConduitConfigInput>): Promise<void> {
    const gateway = await this.ready();
    await gateway.server.updateConfig(partial as Record<string, unknown>);
  }

  /** The server underneath (`@conduit/server`'s `ConduitServer`), once built. */
  get server(): BareConduitServer | undefined {
    return this.bare();
  }

  /** The Hono app, for in-process use (a Synapse gateway's includes `/api/synapse`). */
  get app(): BareConduitServer['app'] {
    return this.gateway?.kind === 'synapse' ? this.gateway.server.app : this.built().app;
  }

  /** The Prometheus metrics of this gateway (one registry per gateway). */
  get metrics(): ConduitGateway['metrics'] {
    return this.composed().metrics;
  }

  /** The usage ledger (Synapse's tracker for a Synapse gateway), unless usage tracking is off. */
  get usageTracker(): ConduitGateway['usageTracker'] {
    return this.composed().usageTracker;
  }

  /** The plugin manager (Synapse's, for a Synapse gateway). */
  get plugins(): ConduitGateway['plugins'] {
    return this.composed().plugins;
  }

  /** Runs every health check now (what `GET /health/ready` answers). */
  runHealthChecks(): ReturnType<BareConduitServer['runHealthChecks']> {
    return this.built().runHealthChecks();
  }

  /** Circuit breaker state of every `provider,model` that has failed at least once. */
  getCircuitStates(): ReturnType<BareConduitServer['getCircuitStates']> {
    return this.built().getCircuitStates();
  }

  /** Reads the config file again and applies it (see `@conduit/server`). */
  reloadConfigFile(): Promise<boolean> {
    return this.built().reloadConfigFile();
  }

  /** What the gateway was composed from (metrics, ledger, plugins), once built. */
  private composed(): Pick<ConduitGateway, 'metrics' | 'usageTracker' | 'plugins'> {
    if (this.gateway?.kind === 'synapse') return this.gateway.server;
    if (this.gateway?.kind === 'server') return this.gateway.server;
    throw notBuiltYet();
  }

  /** The bare server; a Synapse gateway is built by `initialize()` or `start()`. */
  private built(): BareConduitServer {
    const bare = this.bare();
    if (bare) return bare;
    throw notBuiltYet();
  }

  /** The Synapse gateway, when the config uses Synapse and it is built. */
  get synapse(): SynapseServer | undefined {
    return this.gateway?.kind === 'synapse' ? this.gateway.server : undefined;
  }

  /** The server underneath: a Synapse gateway's is composed by createSynapseServer. */
  private bare(): BareConduitServer | undefined {
    const gateway = this.gateway;
    if (!gateway) return undefined;
    return gateway.kind === 'server' ? gateway.server : gateway.server.conduit;
  }

  private ready(): Promise<Gateway> {
    if (this.gateway) return Promise.resolve(this.gateway);
    if (this.stopped) {
      return Promise.reject(
        new ConfigError({
          issues: [
            { path: '', message: 'this server was stopped; create a new one to start again.' },
          ],
        }),
      );
    }
    this.building ??= createSynapseServer(this.configInput, this.options).then(server => {
      this.gateway = { kind: 'synapse', server };
      return this.gateway;
    });
    return this.building;
  }
}

function notBuiltYet(): ConfigError {
  return new ConfigError({
    issues: [
      {
        path: 'preset',
        message:
          'this Synapse gateway is built asynchronously (its plugin loads first): call `await server.initialize()` or `await server.start()` before using it.',
      },
    ],
  });
}

/** Builds the whole gateway for `config` (see {@link ConduitServer}). */
export function createConduitServer(
  config: EnhancedServerConfig = {},
  options: ConduitGatewayOptions = {},
): ConduitServer {
  return new ConduitServer(config, options);
}

/** The seed plan's `createConduitClient(config)`: `new ConduitServer({ initialConfig: config })`. */
export function createConduitClient(
  config: ConduitConfigInput = {},
  options: ConduitGatewayOptions = {},
): ConduitServer {
  return new ConduitServer({ initialConfig: config }, options);
}
