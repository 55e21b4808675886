/**
 * Plugs `@conduit/ui` (the dashboard at `/ui/` and CCR's `/api/config`, `/api/transformers`,
 * `/api/restart`) into a gateway's server options. Used by both halves of the composition root:
 * {@link createConduit} and `createSynapseServer`.
 * @module
 */
import type { UsageTracker } from '@conduit/monitoring';
import {
  type ConduitServerOptions,
  conduitConfigValidators,
  createDefaultTransformerRegistry,
} from '@conduit/server';
import {
  type ConduitUI,
  type ConduitUIOptions,
  createConduitUI,
  type UIGateway,
} from '@conduit/ui';

/**
 * The `ui` option of the gateway: `true` serves the web UI at `/ui/` with its defaults, an object
 * sets the UI's own options (the config file, its validators and the transformer list come from
 * the gateway). Off unless asked for; `conduit start` turns it on.
 */
export type GatewayUIOption =
  | boolean
  | Omit<ConduitUIOptions, 'configPath' | 'configValidators' | 'listTransformers'>;

/** What the UI reads from the running server (a `ConduitServer` is one). */
type UIServer = Omit<UIGateway, 'usageTracker'>;

/** The server options with the UI wired in, and how to hand the UI the server once it exists. */
export interface ComposedUI<Options extends ConduitServerOptions> {
  serverOptions: Options;
  ui: ConduitUI | undefined;
  /** Call once the server is constructed (before it serves a request). */
  attach(server: UIServer): void;
}

/**
 * Adds the UI's route extension, observer, key-cooldown events and self-authenticated paths to
 * `serverOptions` (keeping the caller's: they still run), sharing one transformer registry between
 * the server and the config editor's validator, so the editor validates as the gateway does.
 */
export function composeUI<Options extends ConduitServerOptions>(
  serverOptions: Options,
  option: GatewayUIOption | undefined,
  getUsageTracker: () => UsageTracker | undefined,
): ComposedUI<Options> {
  if (!option) return { serverOptions, ui: undefined, attach: () => {} };
  const transformers = serverOptions.transformers ?? createDefaultTransformerRegistry();
  const ui = createConduitUI({
    ...(serverOptions.logger ? { logger: serverOptions.logger } : {}),
    ...(option === true ? {} : option),
    ...(serverOptions.configPath ? { configPath: serverOptions.configPath } : {}),
    configValidators: conduitConfigValidators(transformers),
    listTransformers: () => transformers.names(),
  });
  let server: UIServer | undefined;
  const running = (): UIServer => {
    if (!server) throw new Error('the UI was used before its gateway was constructed');
    return server;
  };
  // The extension is mounted while the server is being constructed; the view reads it lazily.
  const gateway: UIGateway = {
    get config() {
      return running().config;
    },
    get usageTracker() {
      return getUsageTracker();
    },
    getCircuitStates: () => running().getCircuitStates(),
    getHealth: () => running().getHealth(),
    reloadConfigFile: () => running().reloadConfigFile(),
  };
  const events = serverOptions.resilienceEvents;
  const selfAuthenticated = serverOptions.selfAuthenticatedPaths;
  return {
    ui,
    attach(constructed) {
      server = constructed;
    },
    serverOptions: {
      ...serverOptions,
      transformers,
      extensions: [
        ...(serverOptions.extensions ?? []),
        { name: 'ui', observer: ui.observer },
        app => ui.extension(app, gateway),
      ],
      resilienceEvents: {
        ...events,
        onKeyCooldown: event => {
          ui.resilienceEvents.onKeyCooldown(event);
          events?.onKeyCooldown?.(event);
        },
      },
      selfAuthenticatedPaths: (method: string, path: string) =>
        ui.selfAuthenticatedPaths(method, path) || selfAuthenticated?.(method, path) === true,
    },
  };
}
