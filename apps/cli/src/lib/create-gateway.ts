/**
 * The running gateway as the CLI uses it: `@conduit/server`'s `createConduitServer`, which wires
 * the plugins, the usage ledger, metrics and health itself. The CLI only adds where its files live
 * and watches the config file (unless `server.watchConfig` is false).
 * @module
 */
import type { ConduitConfig, ConduitConfigInput, Logger } from '@conduit/core';
import { type ConduitServer, createConduitServer, readServerSettings } from '@conduit/server';

/** The running gateway as the CLI uses it. */
export type Gateway = Pick<ConduitServer, 'start' | 'stop'>;

/** Creates the gateway for a loaded config (plugins load and usage opens on `start()`). */
export function createGateway(
  config: ConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Gateway {
  return createConduitServer(config as ConduitConfigInput, {
    configPath: options.configPath,
    logger: options.logger,
    home: options.home,
    watchConfig: readServerSettings(config).watchConfig ?? options.configPath !== undefined,
  });
}
