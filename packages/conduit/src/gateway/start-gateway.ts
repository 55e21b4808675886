/**
 * `conduit start`'s way into the composition root (`@conduit/conduit/start`): the same gateway
 * the CLI built from `createConduit` and `createSynapseServer`, from a module that imports neither
 * `@conduit/fleet` nor `@conduit/synapse` nor the meta-package's index (which re-exports every
 * library). The CLI bundle puts a module in the chunks `start` loads whenever its file can be
 * reached from there, so a default start no longer parses the fleet and Synapse code: a config
 * that may need them loads them here, with a dynamic import, before the gateway is built.
 * @module
 */
import type { ConduitConfigInput, ParsedConduitConfig } from '@conduit/core';
import { ConduitServer, type ListeningAddress, type ListenOptions } from '@conduit/server';
import type { GatewayUIOption } from './compose-ui.js';
import type { ComposedFleet } from './compose-fleet.js';
import { type ConduitOptions, composeGateway, type FleetComposer } from './compose-gateway.js';

/** What `conduit start` passes besides the config. */
export interface StartGatewayOptions
  extends Pick<ConduitOptions, 'configPath' | 'home' | 'watchConfig'> {
  logger: NonNullable<ConduitOptions['logger']>;
  ui: GatewayUIOption;
}

/** The running gateway as `conduit start` uses it. */
export interface StartGateway {
  /** @throws InsecureBindError, or a `ListenError` when the port cannot be used. */
  start(options?: ListenOptions): Promise<ListeningAddress>;
  /** Graceful: in-flight responses finish, then plugins unload and usage rows are written. */
  stop(): Promise<void>;
}

/**
 * Whether the config could ask for Synapse: a superset of `usesSynapse` (any preset, a `synapse`
 * section, any plugin entry), so the Synapse code is loaded for every config that needs it;
 * `usesSynapse` itself decides.
 */
function mayUseSynapse(config: ParsedConduitConfig): boolean {
  return (
    config.preset !== undefined ||
    (config.synapse !== undefined && config.synapse !== null) ||
    config.plugins.length > 0
  );
}

/** `composeFleet` for a config without a `fleet` section (the same result: no fleet). */
const withoutFleet: FleetComposer = (_config, serverOptions): ComposedFleet => ({
  fleet: undefined,
  serverOptions,
});

/** `ConduitGateway` without its library-facing fields: the composition is the same. */
class StartedConduitGateway extends ConduitServer {
  constructor(config: ParsedConduitConfig, options: ConduitOptions, composeFleet: FleetComposer) {
    const parts = composeGateway(config as ConduitConfigInput, options, composeFleet);
    super(config as ConduitConfigInput, parts.serverOptions);
    parts.attach(this);
  }
}

/**
 * The gateway for a config `loadConduitConfig` parsed (so it is not parsed a second time): what
 * `createSynapseServer` builds for a config that asks for Synapse, else what `createConduit`
 * builds, with the fleet for a `fleet` section.
 * @throws ConfigError when the config (or its `synapse` or `fleet` section) cannot work.
 */
export async function createStartGateway(
  config: ParsedConduitConfig,
  options: StartGatewayOptions,
): Promise<StartGateway> {
  if (mayUseSynapse(config)) {
    const synapse = await import('./synapse-for-start.js');
    if (synapse.usesSynapse(config)) {
      options.logger.info('synapse enabled: project/agent context, budgets and /api/synapse');
      return synapse.createSynapseServer(config as ConduitConfigInput, options);
    }
  }
  const composeFleet =
    config.fleet === undefined ? withoutFleet : (await import('./compose-fleet.js')).composeFleet;
  return new StartedConduitGateway(config, { ...options, parsedConfig: config }, composeFleet);
}
