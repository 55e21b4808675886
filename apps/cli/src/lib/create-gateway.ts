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
 *
 * Everything `conduit start` loads comes from the meta-package's narrow entries (`/start`,
 * `/server`, `/router`), never its index: the bundle puts every module reachable from an import
 * into the chunks that import loads, and the index reaches every library (see
 * `@conduit/conduit/start`).
 * @module
 */
import type { Logger, ParsedConduitConfig } from '@conduit/conduit/router';
import { readServerSettings } from '@conduit/conduit/server';
import { createStartGateway, type StartGateway } from '@conduit/conduit/start';

/** The running gateway as the CLI uses it. */
export type Gateway = StartGateway;

/**
 * Creates the gateway for a loaded config (plugins load and usage opens on `start()`, or, for
 * Synapse, here).
 * @throws ConfigError when the config (or its `synapse` or `fleet` section) cannot work.
 */
export async function createGateway(
  config: ParsedConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Promise<Gateway> {
  // `config` was parsed with the server's checks by `loadCliConfig`: not parsed a second time.
  return createStartGateway(config, {
    configPath: options.configPath,
    logger: options.logger,
    home: options.home,
    watchConfig: readServerSettings(config).watchConfig ?? options.configPath !== undefined,
    ui: true,
  });
}
