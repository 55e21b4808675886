import type { ConduitPlugin } from '@conduit/core';
import type { UsageTracker } from '../usage/usage-tracker.js';
import type { HealthCheck } from '@conduit/core';

/**
 * Usage storage health: probes the store (connect, migrate, read) and reports the queue, drops and
 * the last storage error. Register it as non-critical: a ledger outage never fails model calls.
 *
 * @example
 * health.registerCheck('usage-storage', createUsageStorageCheck(tracker), { critical: false });
 */
export function createUsageStorageCheck(tracker: Pick<UsageTracker, 'checkHealth'>): HealthCheck {
  return async () => {
    const { status, message, ...details } = await tracker.checkHealth();
    return message === undefined ? { status, details } : { status, message, details };
  };
}

/**
 * A plugin's own `getHealth()`; plugins without one are reported healthy.
 */
export function createPluginHealthCheck(
  plugin: Pick<ConduitPlugin, 'name' | 'getHealth'>,
): HealthCheck {
  return async () => {
    if (!plugin.getHealth) return { status: 'healthy', message: 'no health hook' };
    return plugin.getHealth();
  };
}
