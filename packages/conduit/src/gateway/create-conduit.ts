import {
  type ConduitConfig,
  type ConduitConfigInput,
  type ServerExtension,
  silentLogger,
} from '@conduit/core';
import { type Monitoring, type MonitoringOptions, monitoring } from '@conduit/monitoring';
import { type PluginManager, type Plugins, plugins } from '@conduit/plugins';
import {
  type ConduitExtension,
  ConduitServer,
  type ConduitServerOptions,
  parseConduitConfig,
} from '@conduit/server';

/** Options of {@link createConduit}: the server's, plus what the usage ledger needs. */
export interface ConduitOptions
  extends ConduitServerOptions,
    Pick<MonitoringOptions, 'home' | 'usage' | 'usageTracker' | 'metrics'> {}

/** The parts {@link ConduitGateway} is wired from. */
interface GatewayParts {
  config: ConduitConfig;
  plugins: Plugins | undefined;
  monitoring: Monitoring;
  serverOptions: ConduitServerOptions;
}

/**
 * The whole gateway: `@conduit/server` with the config's plugins (`@conduit/plugins`) and the
 * usage ledger, metrics and health checks (`@conduit/monitoring`) plugged in. Everything
 * `ConduitServer` does, plus the parts it was wired from.
 */
export class ConduitGateway extends ConduitServer {
  /** The Prometheus metrics of this gateway (one registry per gateway). */
  readonly metrics: Monitoring['metrics'];
  /** The usage ledger, unless usage tracking is off. */
  readonly usageTracker: Monitoring['usageTracker'];
  /** The plugin manager, unless `options.hooks` replaced it. */
  readonly plugins: PluginManager | undefined;

  /**
   * @param configInput the config as written (a CCR `config.json` works); parsed once here.
   * @throws ConfigError listing every problem of an invalid config.
   */
  constructor(configInput: ConduitConfigInput = {}, options: ConduitOptions = {}) {
    const parts = composeGateway(configInput, options);
    super(configInput, parts.serverOptions);
    this.metrics = parts.monitoring.metrics;
    this.usageTracker = parts.monitoring.usageTracker;
    this.plugins = parts.plugins?.manager;
  }
}

/**
 * The one composition root: reads a config and wires the server with the extensions it asks
 * for. Plugins load on `start()` (or `initialize()`); the ledger opens here.
 *
 * @example
 * ```ts
 * const gateway = createConduit({ Providers: [...], Router: { default: 'deepseek,deepseek-chat' } });
 * const { url } = await gateway.start({ port: 3456 });
 * ```
 */
export function createConduit(
  configInput: ConduitConfigInput = {},
  options: ConduitOptions = {},
): ConduitGateway {
  return new ConduitGateway(configInput, options);
}

function composeGateway(configInput: ConduitConfigInput, options: ConduitOptions): GatewayParts {
  const { home, usage, usageTracker, metrics, ...serverOptions } = options;
  const logger = options.logger ?? silentLogger;
  const config =
    options.parsedConfig ??
    parseConduitConfig(configInput, {
      ...(options.configPath ? { configPath: options.configPath } : {}),
      ...(options.transformers ? { registry: options.transformers } : {}),
    });
  // Caller-given hooks replace the config's plugins (as they always have).
  const configPlugins = options.hooks
    ? undefined
    : plugins(config, {
        logger,
        ...(options.configPath ? { configPath: options.configPath } : {}),
      });
  const ledger = monitoring(config, {
    logger,
    ...(home ? { home } : {}),
    ...(usage === false ? { usage } : {}),
    ...(usageTracker ? { usageTracker } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const extensions: (ServerExtension | ConduitExtension)[] = [
    ...(configPlugins ? [configPlugins] : []),
    ledger,
    ...(options.extensions ?? []),
  ];
  return {
    config,
    plugins: configPlugins,
    monitoring: ledger,
    serverOptions: { ...serverOptions, parsedConfig: config, extensions },
  };
}
