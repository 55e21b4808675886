import {
  type ParsedConduitConfig,
  type ConduitConfigInput,
  type Logger,
  type RoutingContext,
  type RoutingDecision,
  type ServerExtension,
  type TokenCounter,
  ConduitRouter,
  ConfigError,
  SessionMemory,
  createProjectRouterLookup,
  defaultProjectRouterLookupOptions,
  resolveConduitHome,
  getDefaultTokenCounter,
  type HealthReport,
  silentLogger,
} from '@conduit/core';
import { collectSecrets, createRedactingLogger } from '@conduit/core';
import type { Hono } from 'hono';
import type { ConduitEnv } from './conduit-env.js';
import { createConduitConfigManager, parseConduitConfig } from './config/parse-conduit-config.js';
import { readServerSettings } from './config/server-settings.js';
import { InsecureBindError } from './errors/insecure-bind-error.js';
import { ShuttingDownError } from './errors/shutting-down-error.js';
import { GatewaySnapshot } from './gateway/gateway-snapshot.js';
import { type UpstreamCall, createUpstreamCall } from './gateway/upstream-call.js';
import { type ConfigWatcher, watchConfigFile } from './lifecycle/config-watcher.js';
import { HTTPListener, type ListeningAddress } from './lifecycle/http-listener.js';
import { InFlightRequests } from './lifecycle/in-flight-requests.js';
import { reloadConfigFile } from './lifecycle/reload-config-file.js';
import { createProviderAdapters } from './providers/index.js';
import { createDefaultTransformerRegistry } from './providers/transformers/builtin-transformers.js';
import type { TransformerRegistry } from './providers/transformers/transformer-registry.js';
import { unreadToolsText } from './request/tools-source.js';
import { type ResilienceLayer, createResilienceLayer } from './resilience/resilience-layer.js';
import type { CircuitStateReport } from './resilience/circuit-breaker.js';
import type { ConduitHealth } from './routes/health.js';
import { assertSafeBind, findPlainHTTPProviders, isLoopbackHost } from './security/bind-guard.js';
import { type ListenOptions, resolveListenAddress } from './server-address.js';
import type { ConduitExtension, ConduitServerOptions, StopOptions } from './server-options.js';
import { ExtensionHost } from './services/extension-host.js';
import { createServerApp } from './services/create-server-app.js';
import { UpstreamClientHolder } from './upstream/upstream-client-holder.js';
import { conduitServerVersion } from './version.js';

export type { ListeningAddress } from './lifecycle/http-listener.js';

/** Why a stream still running at the shutdown deadline was cut (sent to the client as `event: error`). */
const shutdownAbortMessage = 'Conduit is shutting down; the response was cut off.';

/**
 * The Conduit gateway: an Anthropic Messages API in front of any configured provider. Plugins,
 * the usage ledger, metrics and Synapse plug in as `extensions` (core's `ServerExtension`); the
 * meta-package `@conduit/conduit` wires them from a config.
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
  /** Recent Claude Code sessions: last route, totals, the previous turn's usage. */
  readonly sessions = new SessionMemory();
  private readonly registry: TransformerRegistry;
  private readonly adapters = createProviderAdapters();
  private readonly options: ConduitServerOptions;
  private readonly logger: Logger;
  private readonly tokenCounter: TokenCounter;
  private readonly startedAt = Date.now();
  private readonly listener: HTTPListener;
  private readonly inFlight = new InFlightRequests();
  private readonly services: ExtensionHost;
  private readonly resilience: ResilienceLayer;
  private readonly upstreamClient: UpstreamClientHolder;
  private state: 'idle' | 'listening' | 'stopping' = 'idle';
  private stopped: Promise<void> | undefined;
  private watcher: ConfigWatcher | undefined;
  private secretsFor: ParsedConduitConfig | undefined;
  private secretList: readonly string[] = [];

  /**
   * @param configInput the config as written (a CCR `config.json` works); parsed and validated here.
   * @throws ConfigError listing every problem of an invalid config.
   */
  constructor(configInput: ConduitConfigInput = {}, options: ConduitServerOptions = {}) {
    const config =
      options.parsedConfig ??
      parseConduitConfig(configInput, {
        configPath: options.configPath,
        registry: options.transformers,
      });
    this.options = options;
    this.configInput = configInput;
    // No configured secret reaches the logs, whatever a component logs.
    this.logger = createRedactingLogger(options.logger ?? silentLogger, () => this.secrets());
    this.tokenCounter = options.tokenCounter ?? getDefaultTokenCounter();
    // Tools of a repeat request are counted from their text, not parsed for the count.
    this.tokenCounter.toolsTextOf ??= unreadToolsText;
    this.registry = options.transformers ?? createDefaultTransformerRegistry();
    const extensions = options.extensions ?? [];
    this.services = new ExtensionHost({
      config,
      configPath: options.configPath,
      logger: this.logger,
      extensions: extensions.filter(isServerExtension),
      hooks: options.hooks,
      observer: options.observer,
      responseHooks: options.responseHooks,
      getCircuitStates: options.getCircuitStates ?? (() => this.resilience.getCircuitStates()),
      getConfig: () => this.snapshot.config,
      getServerState: () => this.state,
    });
    this.router = new ConduitRouter(config, {
      hooks: this.services.hooks,
      tokenCounter: this.tokenCounter,
      logger: this.logger,
      configPath: options.configPath,
      sessionUsage: this.sessions,
      routerOverrides:
        options.routerOverrides === false
          ? undefined
          : (options.routerOverrides ??
            createProjectRouterLookup({
              ...defaultProjectRouterLookupOptions(options.home ?? resolveConduitHome()),
              logger: this.logger,
            })),
    });
    this.snapshot = this.createSnapshot(config);
    this.upstreamClient = new UpstreamClientHolder(() => this.snapshot.config, options.fetch);
    const baseCall = createUpstreamCall({
      getFetch: () => this.upstreamClient.getFetch(),
      logger: this.logger,
    });
    const events = options.resilienceEvents;
    this.resilience = createResilienceLayer({
      getConfig: () => this.snapshot.config,
      events: {
        ...events,
        onCircuitStateChange: (target, state) => {
          this.services.reportCircuitState(target, state);
          events?.onCircuitStateChange?.(target, state);
        },
      },
      clock: options.resilienceClock,
      logger: this.logger,
    });
    const resilientCall = this.resilience.wrap(baseCall);
    const upstreamCall: UpstreamCall = options.wrapUpstreamCall
      ? options.wrapUpstreamCall(resilientCall)
      : resilientCall;
    this.app = createServerApp({
      options,
      logger: this.logger,
      tokenCounter: this.tokenCounter,
      router: this.router,
      upstreamCall,
      services: this.services,
      inFlight: this.inFlight,
      startedAt: this.startedAt,
      getSnapshot: () => this.snapshot,
      isDraining: () => this.state === 'stopping',
      getHealth: () => this.getHealth(),
      runHealthChecks: () => this.runHealthChecks(),
      getSecrets: () => this.secrets(),
      getBoundHost: () => this.listener.address?.host,
      sessions: this.sessions,
      getCircuitStates: () => this.resilience.getCircuitStates(),
    });
    this.listener = new HTTPListener(this.app.fetch, options.http);
    for (const extension of extensions) {
      if (!isServerExtension(extension)) extension(this.app, this);
    }
  }

  /** The config currently serving new requests. */
  get config(): ParsedConduitConfig {
    return this.snapshot.config;
  }

  /** The listening address, once started. */
  get url(): string | null {
    return this.listener.address?.url ?? null;
  }

  /**
   * Starts the extensions (e.g. loads the config's plugins) without listening, for in-process use
   * of `app`. `start()` calls it; calling it again waits for the first.
   */
  initialize(): Promise<void> {
    return this.services.start(this.snapshot.config);
  }

  /**
   * Starts listening. Port/host: `options` > `server.port`/`server.host` > `PORT`/`HOST` >
   * 3456 / 127.0.0.1; port 0 picks a free port.
   * @throws InsecureBindError for a non-loopback host without `APIKEY`; `ListenError` when the
   * port is taken.
   */
  async start(options: ListenOptions = {}): Promise<ListeningAddress> {
    if (this.listener.address) return this.listener.address;
    if (this.stopped) {
      throw new ConfigError({
        issues: [
          { path: '', message: 'this server was stopped; create a new one to start again.' },
        ],
      });
    }
    const { port, host } = resolveListenAddress(options, this.snapshot.config);
    assertSafeBind(host, this.snapshot.config.APIKEY);
    await this.initialize();
    const address = await this.listener.listen(port, host);
    this.state = 'listening';
    this.services.startMonitoring(this.snapshot.config);
    this.startWatchingConfig();
    this.logger.info('conduit listening', { url: address.url });
    for (const plain of findPlainHTTPProviders(this.snapshot.config.Providers)) {
      this.logger.warn(
        `provider "${plain.name}" is reached over plain http (${plain.origin}): its key and every prompt cross the network unencrypted. Use https:// unless this network is trusted.`,
      );
    }
    return address;
  }

  /**
   * Graceful shutdown: stops accepting connections (new requests on open ones get 503), lets
   * in-flight responses and streams finish for up to `timeoutMs` (default
   * `server.gracefulShutdown.timeoutMs`), then ends the rest with an `event: error`; then flushes
   * closes the extensions (usage rows written, plugins unloaded) and stops the health monitor.
   * Idempotent.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopped ??= this.shutdown(options);
    return this.stopped;
  }

  /**
   * Routes a request as `/v1/messages` would, without calling upstream. Takes an Anthropic
   * `request` or the seed plan's `{ tokenCount, model, message, metadata }`.
   */
  route(context: RoutingContext): Promise<RoutingDecision> {
    return this.router.route(context);
  }

  /** Circuit breaker state of every `provider,model` that has failed at least once. */
  getCircuitStates(): CircuitStateReport[] {
    return this.resilience.getCircuitStates();
  }

  /**
   * Opens the circuit of `provider,model` until `openUntil` (epoch ms): the seam shared circuit
   * state uses (`@conduit/fleet` opens here what another instance opened).
   */
  openCircuit(target: { provider: string; model: string }, openUntil: number): void {
    this.resilience.openCircuit(target, openUntil);
  }

  /** Closes the circuit of `provider,model` because another instance's trial succeeded. */
  closeCircuit(target: { provider: string; model: string }): void {
    this.resilience.closeCircuit(target);
  }

  /**
   * Cools key `keyIndex` of `provider` until `availableAt` (epoch ms) because another instance
   * saw it refused (429/401): the seam shared key-pool state uses.
   */
  coolDownKey(cooldown: { provider: string; keyIndex: number; availableAt: number }): void {
    this.resilience.coolDownKey(cooldown);
  }

  /** Liveness and the health checks' latest results (what `GET /health` answers). */
  getHealth(): ConduitHealth {
    const config = this.snapshot.config;
    const warnings =
      config.Providers.length === 0
        ? [
            `No providers are configured. Add one to ${this.options.configPath ?? 'the config file ($CONDUIT_HOME/config.json)'} under "Providers" and set "Router.default".`,
          ]
        : [];
    const components = this.reportComponents(warnings);
    const report = this.services.health.getStatus();
    const uptime = Date.now() - this.startedAt;
    return {
      healthy: this.stopped === undefined && report.healthy,
      uptime,
      startTime: new Date(this.startedAt),
      status: warnings.length === 0 ? 'ok' : 'degraded',
      version: conduitServerVersion,
      timestamp: new Date().toISOString(),
      uptimeMs: uptime,
      providers: config.Providers.length,
      models: this.snapshot.choices.length,
      url: this.url,
      warnings,
      ready: report.ready,
      checks: report.checks,
      circuits: this.resilience.getCircuitStates(),
      ...(components ? { components } : {}),
    };
  }

  private reportComponents(warnings: string[]): ConduitHealth['components'] {
    const reporters = this.options.healthReporters;
    if (!reporters || reporters.length === 0) return undefined;
    const components: NonNullable<ConduitHealth['components']> = {};
    for (const reporter of reporters) {
      try {
        const entry = reporter.report();
        components[reporter.name] = entry;
        if (entry.status === 'degraded')
          warnings.push(`${reporter.name}: ${entry.message ?? 'degraded'}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        components[reporter.name] = { status: 'degraded', message };
        warnings.push(`${reporter.name}: ${message}`);
      }
    }
    return components;
  }

  /** Runs every health check now (what `GET /health/ready` answers). */
  runHealthChecks(): Promise<HealthReport> {
    return this.services.health.runHealthChecks();
  }

  /**
   * Merges `partial` into the current config (objects merge, arrays are replaced) and applies it
   * to new requests atomically; extensions get it (plugins reload). In-flight requests finish with the config they
   * started with.
   * @throws ConfigError, keeping the current config, when the result is invalid.
   */
  async updateConfig(partial: Record<string, unknown>): Promise<void> {
    // Core's ConfigManager merges and validates, as for every config change; applyConfig may
    // still refuse the result (an insecure bind), so the manager is this call's alone.
    const manager = createConduitConfigManager(this.configInput as Record<string, unknown>, {
      source: this.options.configPath,
      registry: this.registry,
    });
    const config = manager.update(partial);
    await this.applyConfig(config, manager.getInput() as ConduitConfigInput);
  }

  /**
   * Reads the config file again and applies it like {@link updateConfig}. An invalid file is
   * rejected with every problem logged, and the current config keeps serving.
   * @returns whether the new config was applied.
   */
  async reloadConfigFile(): Promise<boolean> {
    const path = this.options.configPath;
    if (!path) return false;
    return reloadConfigFile({
      path,
      registry: this.registry,
      apply: config => this.applyConfig(config, config as ConduitConfigInput),
      logger: this.logger,
    });
  }

  private async applyConfig(config: ParsedConduitConfig, input: ConduitConfigInput): Promise<void> {
    const address = this.listener.address;
    if (address && !config.APIKEY && !isLoopbackHost(address.host)) {
      throw new InsecureBindError({
        host: address.host,
        message: `The new config has no "APIKEY", but Conduit listens on ${address.host}, which is not loopback: keep "APIKEY" set, or restart Conduit on 127.0.0.1.`,
      });
    }
    const previous = this.snapshot.config;
    this.router.updateConfig(config);
    this.snapshot = this.createSnapshot(config);
    this.configInput = input;
    this.upstreamClient.onConfigChange(previous, config);
    await this.services.applyConfig(config, previous);
  }

  private startWatchingConfig(): void {
    const path = this.options.configPath;
    const enabled =
      this.options.watchConfig ?? readServerSettings(this.snapshot.config).watchConfig ?? false;
    if (!path || !enabled || this.watcher) return;
    this.watcher = watchConfigFile({
      path,
      logger: this.logger,
      onChange: async () => {
        await this.reloadConfigFile();
      },
    });
  }

  private async shutdown(options: StopOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? this.snapshot.config.server.gracefulShutdown.timeoutMs;
    this.watcher?.close();
    this.watcher = undefined;
    if (this.listener.address) {
      this.state = 'stopping';
      this.listener.stopAccepting();
      const drained = await this.inFlight.waitForIdle(timeoutMs);
      if (!drained) {
        this.logger.warn('shutdown deadline reached; aborting the responses still running', {
          inFlight: this.inFlight.size,
          timeoutMs,
        });
        // A ConduitError, so a request still waiting for its upstream is answered 503, not 500.
        this.inFlight.abortAll(new ShuttingDownError(shutdownAbortMessage));
        await this.inFlight.waitForIdle(1000);
      }
      await this.listener.finishClosing(drained ? 2000 : 250);
    }
    this.state = 'idle';
    await this.upstreamClient.close();
    await this.services.close();
  }

  /** Provider keys and `APIKEY` of the current config (recomputed when the config changes). */
  private secrets(): readonly string[] {
    const config = this.snapshot?.config;
    if (!config) return [];
    if (this.secretsFor !== config) {
      this.secretsFor = config;
      this.secretList = collectSecrets(config);
    }
    return this.secretList;
  }

  private createSnapshot(config: ParsedConduitConfig): GatewaySnapshot {
    return new GatewaySnapshot({ config, registry: this.registry, adapters: this.adapters });
  }
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
  return new ConduitServer(configInput, options);
}

function isServerExtension(
  extension: ServerExtension | ConduitExtension,
): extension is ServerExtension {
  return typeof extension === 'object' && extension !== null;
}
