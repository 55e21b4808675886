import { dirname } from 'node:path';
import type { ParsedConduitConfig, Logger, RoutingHooks } from '@conduit/core';
import {
  createUsageStorageCheck,
  createUsageTracker,
  HealthMonitor,
  MetricsCollector,
  type UsageTracker,
} from '@conduit/monitoring';
import { PluginManager, pluginConfigsFromConduitConfig } from '@conduit/plugins';
import {
  type CircuitStateSource,
  createProvidersCheck,
  createRouterCheck,
  createServerCheck,
} from './gateway-health-checks.js';

/** What {@link GatewayServices} is built from (a subset of the server's options). */
export interface GatewayServicesOptions {
  config: ParsedConduitConfig;
  configPath?: string;
  logger: Logger;
  /** Routing hooks to use instead of a `PluginManager` loading `config.plugins`. */
  hooks?: RoutingHooks;
  /** `false` disables the usage ledger. */
  usage?: false;
  usageTracker?: UsageTracker;
  metrics?: MetricsCollector;
  /** `$CONDUIT_HOME`, where the default `usage.db` lives. */
  home?: string;
  getCircuitStates?: CircuitStateSource;
  getConfig(): ParsedConduitConfig;
  getServerState(): 'idle' | 'listening' | 'stopping';
}

/**
 * Everything around the request path that the server owns: plugins (loaded on start, reloaded on
 * config change), the usage ledger, Prometheus metrics and the health monitor. Nothing here may
 * fail start-up or a request: a ledger that cannot be opened is reported by the `storage` check.
 */
export class GatewayServices {
  readonly plugins: PluginManager | undefined;
  readonly hooks: RoutingHooks | undefined;
  readonly metrics: MetricsCollector;
  readonly health: HealthMonitor;
  readonly usageTracker: UsageTracker | undefined;
  /** Why the ledger is off (`usage.enabled: false`, or the error that prevented it). */
  readonly usageUnavailable: string | undefined;
  private readonly logger: Logger;
  private readonly baseDir: string;
  /** Handed to plugins as `conduitConfig`; updated in place on reload so plugins see the current config. */
  private readonly pluginConduitConfig: Record<string, unknown>;
  private readonly ownsTracker: boolean;
  private initialized: Promise<void> | undefined;
  private monitoring = false;

  constructor(options: GatewayServicesOptions) {
    const { config, logger } = options;
    this.logger = logger;
    this.baseDir = options.configPath ? dirname(options.configPath) : process.cwd();
    this.pluginConduitConfig = { ...config };
    if (options.hooks) {
      this.hooks = options.hooks;
    } else {
      this.plugins = new PluginManager({
        logger,
        baseDir: this.baseDir,
        conduitConfig: this.pluginConduitConfig,
      });
      this.hooks = this.plugins;
    }
    const created = this.createTracker(options);
    this.usageTracker = created.tracker;
    this.usageUnavailable = created.unavailable;
    this.ownsTracker = created.tracker !== undefined && !options.usageTracker;
    this.metrics = options.metrics ?? new MetricsCollector({ prices: this.usageTracker?.prices });
    if (this.usageTracker) this.metrics.trackUsageTracker(this.usageTracker);
    this.health = new HealthMonitor({
      intervalMs: config.server.healthCheck.intervalMs,
      logger,
    });
    this.registerChecks(options);
  }

  /** Loads the config's plugins (once; later calls wait for the first). */
  initialize(config: ParsedConduitConfig): Promise<void> {
    this.initialized ??= this.loadPlugins(config, false);
    return this.initialized;
  }

  /** Applies a new config: plugins are unloaded and loaded again from it. */
  async applyConfig(config: ParsedConduitConfig, previous: ParsedConduitConfig): Promise<void> {
    if (JSON.stringify(config.usage) !== JSON.stringify(previous.usage)) {
      this.logger.warn('changes to "usage" apply after a restart');
    }
    for (const key of Object.keys(this.pluginConduitConfig)) delete this.pluginConduitConfig[key];
    Object.assign(this.pluginConduitConfig, config);
    if (this.initialized) await this.loadPlugins(config, true);
  }

  /** Runs the health checks on `server.healthCheck.intervalMs` (unref'd) when enabled. */
  startMonitoring(config: ParsedConduitConfig): void {
    if (this.monitoring || !config.server.healthCheck.enabled) return;
    this.monitoring = true;
    this.health.start();
  }

  /** Stops the monitor, writes every queued usage row, unloads plugins. Never throws. */
  async close(): Promise<void> {
    this.health.stop();
    this.monitoring = false;
    if (this.usageTracker && this.ownsTracker) {
      await this.usageTracker.close().catch((error: unknown) => {
        this.logger.error('usage records could not be flushed at shutdown', {
          message: error instanceof Error ? error.message : String(error),
        });
      });
    } else if (this.usageTracker) {
      await this.usageTracker.flush().catch(() => undefined);
    }
    await this.plugins?.cleanup().catch(() => undefined);
  }

  private async loadPlugins(config: ParsedConduitConfig, reload: boolean): Promise<void> {
    if (!this.plugins) return;
    let entries: ReturnType<typeof pluginConfigsFromConduitConfig>;
    try {
      entries = pluginConfigsFromConduitConfig(config as unknown as Record<string, unknown>, {
        baseDir: this.baseDir,
      });
    } catch (error) {
      this.logger.error('plugins not loaded', {
        message: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (entries.length === 0 && !reload) return;
    const report = reload
      ? await this.plugins.reload(entries)
      : await this.plugins.loadPlugins(entries);
    // The manager has logged each failure with its reason; say how many.
    if (report.failed.length > 0) {
      this.logger.warn(
        `${report.failed.length} plugin(s) failed to load; routing continues without them`,
      );
    }
  }

  private createTracker(options: GatewayServicesOptions): {
    tracker?: UsageTracker;
    unavailable?: string;
  } {
    if (options.usageTracker) return { tracker: options.usageTracker };
    if (options.usage === false) return { unavailable: 'usage tracking is disabled' };
    if (!options.config.usage.enabled) return { unavailable: 'usage.enabled is false' };
    try {
      return {
        tracker: createUsageTracker(options.config.usage, {
          logger: options.logger,
          home: options.home,
        }),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      options.logger.error('usage tracking is off: the usage storage cannot be used', { message });
      return { unavailable: message };
    }
  }

  private registerChecks(options: GatewayServicesOptions): void {
    this.health.registerCheck('server', createServerCheck(options.getServerState));
    this.health.registerCheck('router', createRouterCheck(options.getConfig, options.configPath));
    this.health.registerCheck(
      'providers',
      createProvidersCheck(options.getConfig, () => {
        const states = options.getCircuitStates?.() ?? [];
        for (const entry of states) {
          this.metrics.setCircuitState(entry.provider, entry.model, entry.state);
        }
        return states;
      }),
    );
    const plugins = this.plugins;
    if (plugins) {
      this.health.registerCheck(
        'plugins',
        async () => {
          const report = await plugins.getHealth();
          return { status: report.status, details: { plugins: report.plugins } };
        },
        { critical: false },
      );
    }
    const tracker = this.usageTracker;
    const unavailable = this.usageUnavailable;
    this.health.registerCheck(
      'storage',
      tracker
        ? createUsageStorageCheck(tracker)
        : () =>
            options.usage === false || !options.config.usage.enabled
              ? { status: 'healthy', message: unavailable }
              : { status: 'unhealthy', message: unavailable },
      { critical: false },
    );
  }
}
