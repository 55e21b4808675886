import type { ParsedConduitConfig } from '@conduit/core';

/** Where to listen. */
export interface ListenOptions {
  port?: number;
  host?: string;
}

export const defaultPort = 3456;
export const defaultHost = '127.0.0.1';

/**
 * Port and host, by precedence: explicit options > `server.port`/`server.host` > CCR's top-level
 * `PORT`/`HOST` > 3456 / 127.0.0.1.
 */
export function resolveListenAddress(
  options: ListenOptions,
  config: Pick<ParsedConduitConfig, 'server' | 'PORT' | 'HOST'>,
): { port: number; host: string } {
  return {
    port: options.port ?? config.server.port ?? config.PORT ?? defaultPort,
    host: options.host ?? config.server.host ?? config.HOST ?? defaultHost,
  };
}
