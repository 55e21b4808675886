import type { Logger, ParsedUsageConfig } from '@conduit/core';
import { PriceResolver } from '../pricing/price-resolver.js';
import { createUsageStore, type CreateUsageStoreOptions } from '../storage/create-usage-store.js';
import type { UsageStore } from '../storage/usage-store.js';
import { UsageTracker } from './usage-tracker.js';

export interface CreateUsageTrackerOptions extends CreateUsageStoreOptions {
  logger?: Logger;
  /** Use this store instead of the one `usage.storage` names. */
  store?: UsageStore;
  /** Share a resolver with the metrics collector (default: one built from `usage.pricing`). */
  prices?: PriceResolver;
}

/**
 * Builds the usage tracker from the `usage` section of the Conduit config: the store named by
 * `usage.storage`, prices with `usage.pricing` overrides, and the queue settings. Opens nothing
 * yet (see {@link createUsageStore}).
 *
 * @example
 * const tracker = createUsageTracker(config.usage, { logger });
 */
export function createUsageTracker(
  usage: Partial<ParsedUsageConfig> = {},
  options: CreateUsageTrackerOptions = {},
): UsageTracker {
  const logger = options.logger;
  const prices = options.prices ?? new PriceResolver({ overrides: usage.pricing, logger });
  const store = options.store ?? createUsageStore(usage.storage, options);
  return new UsageTracker({
    store,
    prices,
    logger,
    batchSize: usage.batchSize,
    flushIntervalMs: usage.flushIntervalMs,
    maxQueueSize: usage.maxQueueSize,
  });
}
