import type { ConduitConfigInput } from '@conduit/core';
import type { Fleet } from '@conduit/fleet';
import type { Monitoring } from '@conduit/monitoring';
import type { PluginManager } from '@conduit/plugins';
import { ConduitServer } from '@conduit/server';
import type { ConduitUI } from '@conduit/ui';
import { composeFleet } from './compose-fleet.js';
import { type ConduitOptions, composeGateway } from './compose-gateway.js';

export type { ConduitOptions } from './compose-gateway.js';

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
    const parts = composeGateway(configInput, options, composeFleet);
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
