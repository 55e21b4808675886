import type { ParsedConduitConfig, ConfigIssue, ConfigValidator } from '@conduit/core';

/**
 * Server settings beyond core's schema (`server` is a loose object there), validated here:
 * - `server.metricsAuth` (boolean): whether `GET /metrics` needs the API key (default: yes when
 *   `APIKEY` is set; `false` opens it);
 * - `server.publicHealth` (boolean, default false): with `APIKEY`, serve the detailed `/health`
 *   and `/health/ready` without the key;
 * - `server.watchConfig` (boolean): reload the config file when it changes. Default: on when
 *   started with `run()` (or the CLI) from a config file, off for library use.
 */
export interface ServerSettings {
  /** Unset: `/metrics` needs the key whenever `APIKEY` is set. */
  metricsAuth: boolean | undefined;
  publicHealth: boolean;
  watchConfig: boolean | undefined;
}

/** Reads the settings of {@link ServerSettings} from a parsed config. */
export function readServerSettings(config: ParsedConduitConfig): ServerSettings {
  const server = config.server as Record<string, unknown>;
  return {
    metricsAuth: typeof server.metricsAuth === 'boolean' ? server.metricsAuth : undefined,
    publicHealth: server.publicHealth === true,
    watchConfig: typeof server.watchConfig === 'boolean' ? server.watchConfig : undefined,
  };
}

/** Config validator for {@link ServerSettings} (used by `parseConduitConfig` and `run()`). */
export const validateServerSettings: ConfigValidator = config => {
  const server = config.server as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const key of ['metricsAuth', 'publicHealth', 'watchConfig']) {
    const value = server[key];
    if (value !== undefined && typeof value !== 'boolean') {
      issues.push({
        path: `server.${key}`,
        message: `must be true or false, got ${JSON.stringify(value)}.`,
      });
    }
  }
  return issues;
};
