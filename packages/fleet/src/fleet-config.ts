import {
  ConfigError,
  lazySchema,
  schemasOnFirstUse,
  type ParsedConduitConfig,
} from '@conduit/core';
import type { z } from 'zod';
import { defineFleetConfigSchemas } from './fleet-config-schemas.js';

/** Every schema, built on the first use of any of them: importing fleet does not load zod. */
const getSchemas = schemasOnFirstUse(defineFleetConfigSchemas);

/** Limits of one scope (a key, a project, an agent, or the whole gateway). Absent = unlimited. */
export const scopeLimitsSchema = lazySchema(() => getSchemas().scopeLimitsSchema);

export type ScopeLimits = z.output<typeof scopeLimitsSchema>;

/** The `fleet` section of the Conduit config. */
export const fleetConfigSchema = lazySchema(() => getSchemas().fleetConfigSchema);

export type FleetConfig = z.output<typeof fleetConfigSchema> & { redis: string | undefined };

/**
 * Reads `config.fleet` (and `REDIS_URL` when the section names no Redis).
 * @throws ConfigError naming the bad key.
 */
export function parseFleetConfig(
  config: Pick<ParsedConduitConfig, 'fleet'>,
  env: Record<string, string | undefined> = process.env,
): FleetConfig {
  const parsed = fleetConfigSchema.safeParse(config.fleet ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map(issue => ({
      path: ['fleet', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new ConfigError({ issues });
  }
  const redis = parsed.data.redis?.trim() || env.REDIS_URL?.trim() || undefined;
  if (redis && !/^rediss?:\/\//i.test(redis)) {
    throw new ConfigError({
      issues: [
        {
          path: 'fleet.redis',
          message: 'must be a redis:// or rediss:// URL',
          hint: 'e.g. "redis://127.0.0.1:6379/0", or unset it (and REDIS_URL) for one instance.',
        },
      ],
    });
  }
  return { ...parsed.data, redis };
}

/** Whether the config asks for fleet features (a `fleet` section that is not disabled). */
export function usesFleet(config: Pick<ParsedConduitConfig, 'fleet'>): boolean {
  return config.fleet !== undefined && config.fleet.enabled !== false;
}
