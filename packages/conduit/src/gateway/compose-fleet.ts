import type { ParsedConduitConfig, Logger } from '@conduit/core';
import { createFleet, type Fleet, usesFleet } from '@conduit/fleet';
import type { ConduitServerOptions } from '@conduit/server';

/** What {@link composeFleet} returns: the fleet (if the config has one) and the server options. */
export interface ComposedFleet {
  fleet: Fleet | undefined;
  serverOptions: ConduitServerOptions;
}

/**
 * Plugs `@conduit/fleet` (virtual keys, rate limits, budgets, Redis-shared state) into the
 * server options for a config with a `fleet` section: its credential check and admission, its
 * extensions (lifecycle and circuit announcements as a core `ServerExtension`; the admin API as
 * a Hono-level extension, since it reads the request's principal), its key-cooldown
 * announcements (a resilience event, kept beside the caller's) and its `/health` line.
 *
 * `authenticate` and `admission` stay server options rather than `ServerExtension` parts: each
 * decides a request's fate, so a server has at most one of each and the composition root picks
 * it. A caller's own `authenticate` / `admission` win over the fleet's.
 * @throws ConfigError when the `fleet` section cannot work.
 */
export function composeFleet(
  config: ParsedConduitConfig,
  serverOptions: ConduitServerOptions,
  context: { logger: Logger; home?: string },
): ComposedFleet {
  if (!usesFleet(config)) return { fleet: undefined, serverOptions };
  const fleet = createFleet(config, {
    logger: context.logger,
    ...(context.home ? { home: context.home } : {}),
  });
  context.logger.info('fleet enabled: virtual keys, rate limits and budgets', {
    sharedState: fleet.config.redis ? 'redis' : 'this instance only',
  });
  return {
    fleet,
    serverOptions: {
      ...serverOptions,
      authenticate: serverOptions.authenticate ?? fleet.authenticate,
      admission: serverOptions.admission ?? fleet.admission,
      extensions: [fleet.extension, fleet.mount, ...(serverOptions.extensions ?? [])],
      resilienceEvents: {
        ...serverOptions.resilienceEvents,
        onKeyCooldown: event => {
          fleet.onKeyCooldown(event);
          serverOptions.resilienceEvents?.onKeyCooldown?.(event);
        },
      },
      healthReporters: [...(serverOptions.healthReporters ?? []), fleet.healthReporter],
    },
  };
}
