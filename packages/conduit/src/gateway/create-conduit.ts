import {
  type ParsedConduitConfig,
  type ConduitConfigInput,
  type ServerExtension,
  silentLogger,
} from '@conduit/core';
import type { Fleet } from '@conduit/fleet';
import { type Monitoring, type MonitoringOptions, monitoring } from '@conduit/monitoring';
import { type PluginManager, type Plugins, plugins } from '@conduit/plugins';
import {
  type ConduitExtension,
  ConduitServer,
  type ConduitServerOptions,
  parseConduitConfig,
} from '@conduit/server';
import type { ConduitUI } from '@conduit/ui';
import { composeUI, type GatewayUIOption } from './compose-ui.js';
import { composeFleet, connectFleetToUI } from './compose-fleet.js';

/** Options of {@link createConduit}: the server's, plus what the usage ledger and the UI need. */
export interface ConduitOptions
  extends ConduitServerOptions,
    Pick<MonitoringOptions, 'home' | 'usage' | 'usageTracker' | 'metrics'> {
  /**
   * Serve the web UI (`@conduit/ui`) at `/ui/`, with CCR's `/api/config`, `/api/transformers`
   * and `/api/restart`: `true` or the UI's options. Off by default for the library; `conduit
   * start` turns it on. Under `APIKEY` the UI needs the key (a login page gives a session).
   */
  ui?: GatewayUIOption;
}

/** The parts {@link ConduitGateway} is wired from. */
interface GatewayParts {
  config: ParsedConduitConfig;
  plugins: Plugins | undefined;
  monitoring: Monitoring;
  ui: ConduitUI | undefined;
  fleet: Fleet | undefined;
  serverOptions: ConduitServerOptions;
  attach(server: ConduitServer): void;
}

/**
 * The whole gateway: `@conduit/server` with the config's plugins (`@conduit/plugins`), the
 * usage ledger, metrics and health checks (`@conduit/monitoring`) and, for a config with a
 * `fleet` section, virtual keys, rate limits and budgets (`@conduit/fleet`) plugged in. Everything
 * `ConduitServer` does, plus the parts it was wired from.
 */
export class ConduitGateway extends ConduitServer {
  /** The Prometheus metrics of this gateway (one registry per gateway). */
  readonly metrics: Monitoring['metrics'];
  /** The usage ledger, unless usage tracking is off. */
  readonly usageTracker: Monitoring['usageTracker'];
  /** The plugin manager, unless `options.hooks` replaced it. */
  readonly plugins: PluginManager | undefined;
  /** The web UI, when the `ui` option asked for it. */
  readonly ui: ConduitUI | undefined;
  /** Virtual keys, limits and budgets, when the config has a `fleet` section. */
  readonly fleet: Fleet | undefined;

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
    this.ui = parts.ui;
    parts.attach(this);
    this.fleet = parts.fleet;
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
  const { home, usage, usageTracker, metrics, ui: uiOption, ...serverOptions } = options;
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
  const withFleet = composeFleet(
    config,
    { ...serverOptions, parsedConfig: config, extensions },
    { logger, ...(home ? { home } : {}) },
  );
  const ui = composeUI(withFleet.serverOptions, uiOption, () => ledger.usageTracker);
  connectFleetToUI(withFleet.fleet, ui.ui);
  return {
    config,
    plugins: configPlugins,
    monitoring: ledger,
    fleet: withFleet.fleet,
    ui: ui.ui,
    serverOptions: ui.serverOptions,
    attach: server => ui.attach(server),
  };
}
