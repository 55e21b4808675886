/**
 * The running gateway as the CLI uses it: `@conduit/server`'s `createConduitServer`, which wires
 * the plugins, the usage ledger, metrics and health itself; or, for a config that asks for
 * Synapse (the `synapse` preset, a `synapse` section or a `synapse` plugin entry),
 * `@conduit/synapse`'s `createSynapseServer`, the same server with the Synapse plugin, budgets,
 * response metadata and `/api/synapse/*`. The CLI only adds where its files live and watches the
 * config file (unless `server.watchConfig` is false), and plugs in `@conduit/ui` (the dashboard at
 * `/ui/`).
 * @module
 */
import type { ConduitConfig, ConduitConfigInput, Logger } from '@conduit/core';
import {
  conduitConfigValidators,
  createConduitServer,
  createDefaultTransformerRegistry,
  type ListeningAddress,
  type ListenOptions,
  readServerSettings,
} from '@conduit/server';
import { createSynapseServer, usesSynapse } from '@conduit/synapse';
import { createConduitUI } from '@conduit/ui';

/** The running gateway as the CLI uses it. */
export interface Gateway {
  /** @throws InsecureBindError, or a `ListenError` when the port cannot be used. */
  start(options?: ListenOptions): Promise<ListeningAddress>;
  /** Graceful: in-flight responses finish, then plugins unload and usage rows are written. */
  stop(): Promise<void>;
}

/**
 * Creates the gateway for a loaded config (plugins load and usage opens on `start()`, or, for
 * Synapse, here).
 * @throws ConfigError when the config (or its `synapse` section) cannot work.
 */
export async function createGateway(
  config: ConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Promise<Gateway> {
  const transformers = createDefaultTransformerRegistry();
  // The web UI at /ui/ (and CCR's /api/config, /api/transformers, /api/restart).
  const ui = createConduitUI({
    configPath: options.configPath,
    configValidators: conduitConfigValidators(transformers),
    listTransformers: () => transformers.names(),
    logger: options.logger,
  });
  const serverOptions = {
    configPath: options.configPath,
    logger: options.logger,
    home: options.home,
    watchConfig: readServerSettings(config).watchConfig ?? options.configPath !== undefined,
    transformers,
    extensions: [ui.extension],
    observer: ui.observer,
    resilienceEvents: ui.resilienceEvents,
    selfAuthenticatedPaths: ui.selfAuthenticatedPaths,
  };
  if (usesSynapse(config)) {
    options.logger.info('synapse enabled: project/agent context, budgets and /api/synapse');
    return createSynapseServer(config as ConduitConfigInput, serverOptions);
  }
  return createConduitServer(config as ConduitConfigInput, serverOptions);
}
