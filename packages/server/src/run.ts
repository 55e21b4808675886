import { type ConduitConfig, silentLogger } from '@conduit/core';
import { ConduitServer } from './conduit-server.js';
import { loadConduitConfig } from './config/parse-conduit-config.js';
import { readServerSettings } from './config/server-settings.js';
import { installSignalHandlers } from './lifecycle/signal-handlers.js';
import { createDefaultTransformerRegistry } from './providers/transformers/builtin-transformers.js';
import type { ListenOptions } from './server-address.js';
import type { ConduitServerOptions } from './server-options.js';

/** Options of {@link run}. */
export interface RunOptions<Server extends ConduitServer = ConduitServer>
  extends ListenOptions,
    Omit<ConduitServerOptions, 'configPath' | 'parsedConfig'> {
  /** Config file; default: core's lookup (`$CONDUIT_HOME`, then `~/.claude-code-router`). */
  configPath?: string;
  /**
   * Install SIGTERM/SIGINT handlers that stop the server gracefully and exit 0 (default true).
   * Library code that owns the process should pass false and call `stop()` itself.
   */
  handleSignals?: boolean;
  /**
   * Builds the server from the loaded config (default: the bare `ConduitServer`). The
   * meta-package's `run()` passes its composition root, so plugins, the ledger and Synapse are
   * wired as the config asks; this is the one start-up path the CLI uses.
   */
  createServer?(config: ConduitConfig, options: ConduitServerOptions): Server;
}

/**
 * CCR-style start-up: loads the config from disk, starts the server (watching the config file
 * unless `server.watchConfig` is false) and resolves once it listens. On SIGTERM/SIGINT it stops
 * gracefully and exits 0.
 * @throws ConfigError for an unreadable or invalid config, `InsecureBindError` for a public host
 * without `APIKEY`, `ListenError` when the port is taken.
 */
export async function run<Server extends ConduitServer = ConduitServer>(
  options: RunOptions<Server> = {},
): Promise<Server> {
  const { port, host, configPath, handleSignals = true, createServer, ...serverOptions } = options;
  const registry = serverOptions.transformers ?? createDefaultTransformerRegistry();
  const loaded = await loadConduitConfig({ path: configPath, registry });
  const serverSetup: ConduitServerOptions = {
    ...serverOptions,
    parsedConfig: loaded.config,
    transformers: registry,
    configPath: loaded.path ?? undefined,
    watchConfig: serverOptions.watchConfig ?? readServerSettings(loaded.config).watchConfig ?? true,
  };
  // The bare server when no composition root is given (`Server` is then `ConduitServer`).
  const server = createServer
    ? createServer(loaded.config, serverSetup)
    : (new ConduitServer(loaded.config, serverSetup) as Server);
  await server.start({ port, host });
  if (handleSignals) {
    // Handlers never keep the process alive; after a programmatic stop() a signal just exits.
    installSignalHandlers({
      stop: () => server.stop(),
      logger: serverOptions.logger ?? silentLogger,
    });
  }
  return server;
}
