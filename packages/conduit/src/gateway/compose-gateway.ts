/**
 * The wiring of the composition root: what {@link ConduitGateway} (and `conduit start`'s narrow
 * entry) is built from. It does not import `@conduit/fleet`: the fleet is composed by the
 * {@link FleetComposer} its caller passes, so a caller that loads the fleet only for a config with
 * a `fleet` section keeps it out of the code it loads otherwise.
 * @module
 */
import {
  type ParsedConduitConfig,
  type ConduitConfigInput,
  type ServerExtension,
  silentLogger,
} from '@conduit/core';
import type { Fleet } from '@conduit/fleet';
import { type Monitoring, type MonitoringOptions, monitoring } from '@conduit/monitoring';
import { type Plugins, plugins } from '@conduit/plugins';
import {
  type ConduitExtension,
  type ConduitServer,
  type ConduitServerOptions,
  parseConduitConfig,
} from '@conduit/server';
import type { ConduitUI } from '@conduit/ui';
import { composeUI, type GatewayUIOption } from './compose-ui.js';
import type { composeFleet } from './compose-fleet.js';
import { connectFleetToUI } from './connect-fleet-to-ui.js';

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

/** Composes the fleet a config asks for: `compose-fleet.ts`'s `composeFleet`. */
export type FleetComposer = typeof composeFleet;

/** The parts {@link ConduitGateway} is wired from. */
export interface GatewayParts {
  config: ParsedConduitConfig;
  plugins: Plugins | undefined;
  monitoring: Monitoring;
  ui: ConduitUI | undefined;
  fleet: Fleet | undefined;
  serverOptions: ConduitServerOptions;
  attach(server: ConduitServer): void;
}

/**
 * Wires a gateway from a config: the config's plugins, the usage ledger, metrics and health, the
 * fleet (through `composeFleetFor`, see {@link FleetComposer}) and the UI. Used by
 * {@link ConduitGateway} and by `conduit start`'s narrow entry (`start-gateway.ts`).
 */
export function composeGateway(
  configInput: ConduitConfigInput,
  options: ConduitOptions,
  composeFleetFor: FleetComposer,
): GatewayParts {
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
  const withFleet = composeFleetFor(
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
