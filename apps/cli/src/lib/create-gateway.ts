/**
 * The running gateway as the CLI uses it: `@conduit/server`'s `createConduitServer`, which wires
 * the plugins, the usage ledger, metrics and health itself; or, for a config that asks for
 * Synapse (the `synapse` preset, a `synapse` section or a `synapse` plugin entry),
 * `@conduit/synapse`'s `createSynapseServer`, the same server with the Synapse plugin, budgets,
 * response metadata and `/api/synapse/*`. A `fleet` section adds `@conduit/fleet` (virtual keys,
 * rate limits, budgets, Redis-shared state) through the server's seams. The CLI only adds where
 * its files live and watches the config file (unless `server.watchConfig` is false).
 * @module
 */
import type { ConduitConfig, ConduitConfigInput, Logger } from '@conduit/core';
import { createFleet, type Fleet, usesFleet } from '@conduit/fleet';
import {
  type ConduitServerOptions,
  createConduitServer,
  type ListeningAddress,
  type ListenOptions,
  readServerSettings,
} from '@conduit/server';
import { createSynapseServer, usesSynapse } from '@conduit/synapse';

/** The running gateway as the CLI uses it. */
export interface Gateway {
  /** @throws InsecureBindError, or a `ListenError` when the port cannot be used. */
  start(options?: ListenOptions): Promise<ListeningAddress>;
  /** Graceful: in-flight responses finish, then plugins unload and usage rows are written. */
  stop(): Promise<void>;
}

/** The server options that plug a fleet in. */
function fleetServerOptions(fleet: Fleet): Partial<ConduitServerOptions> {
  return {
    authenticate: fleet.authenticate,
    admission: fleet.admission,
    extensions: [fleet.extension],
    healthReporters: [fleet.healthReporter],
    resilienceEvents: { onCircuitStateChange: fleet.onCircuitStateChange },
  };
}

/**
 * Creates the gateway for a loaded config (plugins load and usage opens on `start()`, or, for
 * Synapse, here).
 * @throws ConfigError when the config (or its `synapse` or `fleet` section) cannot work.
 */
export async function createGateway(
  config: ConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Promise<Gateway> {
  const fleet = usesFleet(config)
    ? createFleet(config, { logger: options.logger, home: options.home })
    : undefined;
  const serverOptions = {
    configPath: options.configPath,
    logger: options.logger,
    home: options.home,
    watchConfig: readServerSettings(config).watchConfig ?? options.configPath !== undefined,
    ...(fleet ? fleetServerOptions(fleet) : {}),
  };
  let gateway: Gateway;
  if (usesSynapse(config)) {
    options.logger.info('synapse enabled: project/agent context, budgets and /api/synapse');
    gateway = await createSynapseServer(config as ConduitConfigInput, serverOptions);
  } else {
    gateway = createConduitServer(config as ConduitConfigInput, serverOptions);
  }
  if (!fleet) return gateway;
  options.logger.info('fleet enabled: virtual keys, rate limits and budgets', {
    sharedState: fleet.config.redis ? 'redis' : 'this instance only',
  });
  return {
    async start(listenOptions) {
      await fleet.start();
      return gateway.start(listenOptions);
    },
    async stop() {
      await gateway.stop();
      await fleet.close();
    },
  };
}
