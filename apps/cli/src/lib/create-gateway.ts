/**
 * The one place the CLI touches `@conduit/server`, so the rest of the CLI depends only on this
 * narrow shape: create a server from a config, start it, stop it.
 * @module
 */
import type { ConduitConfig, Logger } from '@conduit/core';
import * as serverModule from '@conduit/server';

/** The part of `ConduitServer` the CLI uses. */
export interface Gateway {
  start(options?: {
    port?: number;
    host?: string;
  }): Promise<{ url: string; port: number; host: string }>;
  stop(): Promise<void>;
}

type CreateConduitServer = (
  config: ConduitConfig,
  options: { configPath?: string; logger?: Logger },
) => Gateway | Promise<Gateway>;

/** Creates the gateway for a loaded config. */
export async function createGateway(
  config: ConduitConfig,
  options: { configPath?: string; logger: Logger },
): Promise<Gateway> {
  const create = (serverModule as unknown as { createConduitServer?: CreateConduitServer })
    .createConduitServer;
  if (typeof create !== 'function') {
    throw new Error(
      '@conduit/server does not export createConduitServer; rebuild Conduit (pnpm build)',
    );
  }
  return create(config, options);
}
