import { type ParsedConduitConfig, ConfigError, type Logger } from '@conduit/core';
import {
  computeCost,
  createUsageTracker,
  PriceResolver,
  UsageTracker,
  type UsageStore,
} from '@conduit/monitoring';
import { BudgetGuard } from '../budgets/budget-guard.js';
import { createLedgerSpendSource } from '../budgets/spend-source.js';
import type { SynapseSettings } from '../config/synapse-settings.js';

/** Where usage goes, as given by the caller. */
export interface SynapseLedgerOptions {
  /** A store to write to (the caller keeps ownership: it is flushed, not closed). */
  usageStore?: UsageStore;
  /** A tracker to use (the caller keeps ownership). */
  usageTracker?: UsageTracker;
  logger?: Logger;
  /** Conduit home for the default SQLite ledger. */
  home?: string;
  /** Epoch ms clock for budget windows (tests). */
  now?: () => number;
}

/** The usage ledger as the Synapse integration uses it. */
export interface SynapseLedger {
  tracker: UsageTracker | undefined;
  prices: PriceResolver;
  budgetGuard: BudgetGuard | undefined;
  /** USD cost of the given usage, or null when the model has no known price. */
  priceUsage(
    provider: string,
    model: string,
    tokens: {
      inputTokens: number;
      outputTokens: number;
      cacheReadTokens?: number;
      cacheWriteTokens?: number;
    },
  ): number | null;
  /** Writes queued rows and releases what this ledger opened. */
  close(): Promise<void>;
}

/**
 * Sets up usage tracking for Synapse: the caller's tracker, or a tracker over the caller's
 * store, or (when `usage.enabled`) the ledger `usage.storage` names; plus a budget guard over it.
 * @throws ConfigError when `synapse.budgets` is set but usage tracking is off.
 */
export function createSynapseLedger(
  config: ParsedConduitConfig,
  settings: SynapseSettings,
  options: SynapseLedgerOptions,
): SynapseLedger {
  let tracker = options.usageTracker;
  let ownership: 'caller' | 'store-only' | 'owned' = 'caller';
  if (!tracker && options.usageStore) {
    tracker = new UsageTracker({
      store: options.usageStore,
      prices: new PriceResolver({ overrides: config.usage.pricing, logger: options.logger }),
      logger: options.logger,
      batchSize: config.usage.batchSize,
      flushIntervalMs: config.usage.flushIntervalMs,
      maxQueueSize: config.usage.maxQueueSize,
    });
    ownership = 'store-only';
  } else if (!tracker && config.usage.enabled) {
    tracker = createUsageTracker(config.usage, {
      logger: options.logger,
      ...(options.home ? { home: options.home } : {}),
    });
    ownership = 'owned';
  }
  if (settings.budgets && !tracker) {
    throw new ConfigError({
      issues: [
        {
          path: 'synapse.budgets',
          message: 'needs the usage ledger, but usage tracking is off.',
          hint: 'set "usage": { "enabled": true } or pass a usageStore/usageTracker.',
        },
      ],
    });
  }
  const prices =
    tracker?.prices ??
    new PriceResolver({ overrides: config.usage.pricing, logger: options.logger });
  const budgetGuard = tracker
    ? new BudgetGuard({
        source: createLedgerSpendSource(tracker),
        cacheTtlMs: settings.budgetCacheTtlMs,
        lookupTimeoutMs: settings.budgetLookupTimeoutMs,
        ...(options.logger ? { logger: options.logger } : {}),
        ...(options.now ? { now: options.now } : {}),
      })
    : undefined;
  return {
    tracker,
    prices,
    budgetGuard,
    priceUsage(provider, model, tokens) {
      const resolved = prices.resolve(provider, model);
      if (!resolved) return null;
      return computeCost(
        {
          inputTokens: tokens.inputTokens,
          outputTokens: tokens.outputTokens,
          cacheReadTokens: tokens.cacheReadTokens ?? 0,
          cacheWriteTokens: tokens.cacheWriteTokens ?? 0,
        },
        resolved.price,
      );
    },
    async close() {
      if (!tracker) return;
      if (ownership === 'owned') await tracker.close();
      else await tracker.flush();
    },
  };
}
