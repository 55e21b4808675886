/**
 * The running gateway as the CLI uses it: `@conduit/server`'s `createConduitServer`, which wires
 * the plugins, the usage ledger, metrics and health itself; or, for a config that asks for
 * Synapse (the `synapse` preset, a `synapse` section or a `synapse` plugin entry),
 * `@conduit/synapse`'s `createSynapseServer`, the same server with the Synapse plugin, budgets,
 * response metadata and `/api/synapse/*`. A `fleet` section adds `@conduit/fleet` (virtual keys,
 * rate limits, budgets, Redis-shared state), wired by the same composition root. The CLI only adds
 * where its files live and watches the config file (unless `server.watchConfig` is false), and
 * turns on the web UI (the dashboard at `/ui/`, with CCR's `/api/config`, `/api/transformers` and
 * `/api/restart`).
 * @module
 */
import type { ParsedConduitConfig, ConduitConfigInput, Logger } from '@conduit/conduit';
import {
  createConduit,
  createSynapseServer,
  type ListeningAddress,
  type ListenOptions,
  readServerSettings,
  usesSynapse,
} from '@conduit/conduit';

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
 * @throws ConfigError when the config (or its `synapse` or `fleet` section) cannot work.
 */
export async function createGateway(
  config: ParsedConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Promise<Gateway> {
  const serverOptions = {
    configPath: options.configPath,
    logger: options.logger,
    home: options.home,
    watchConfig: readServerSettings(config).watchConfig ?? options.configPath !== undefined,
    ui: true,
  };
  if (usesSynapse(config)) {
    options.logger.info('synapse enabled: project/agent context, budgets and /api/synapse');
    return createSynapseServer(config as ConduitConfigInput, serverOptions);
  }
  // `config` was parsed with the server's checks by `loadCliConfig`: not parsed a second time.
  return createConduit(config as ConduitConfigInput, { ...serverOptions, parsedConfig: config });
}
