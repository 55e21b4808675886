import { type ConduitConfig, ConfigError } from '@conduit/core';

/** Where to listen. */
export interface ListenOptions {
  port?: number;
  host?: string;
}

export const defaultPort = 3456;
export const defaultHost = '127.0.0.1';

/**
 * Port and host, by precedence: explicit options > `server.port`/`server.host` > CCR's top-level
 * `PORT`/`HOST` > the `PORT` environment variable > 3456 / 127.0.0.1.
 */
export function resolveListenAddress(
  options: ListenOptions,
  config: Pick<ConduitConfig, 'server' | 'PORT' | 'HOST'>,
  env: Record<string, string | undefined> = process.env,
): { port: number; host: string } {
  return {
    port:
      options.port ?? config.server.port ?? config.PORT ?? portFromEnvironment(env) ?? defaultPort,
    host: options.host ?? config.server.host ?? config.HOST ?? defaultHost,
  };
}

/** The `PORT` environment variable as a port, `undefined` when unset; a ConfigError when invalid. */
export function portFromEnvironment(env: Record<string, string | undefined>): number | undefined {
  const text = env.PORT?.trim();
  if (!text) return undefined;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(port) && port <= 65535) return port;
  throw new ConfigError({
    source: 'environment',
    issues: [
      {
        path: 'PORT',
        message: `the PORT environment variable is ${JSON.stringify(env.PORT)}, not a port number`,
        hint: 'set PORT to a number from 0 to 65535, or unset it (server.port in the config wins anyway)',
      },
    ],
  });
}
