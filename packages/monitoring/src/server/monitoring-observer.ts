import type { Logger, RequestObserver, RequestRecord } from '@conduit/core';
import type { MetricsCollector } from '../metrics/metrics-collector.js';
import type { PriceResolver } from '../pricing/price-resolver.js';
import { usageRecordFromRequest } from '../usage/build-usage-record.js';
import type { UsageTracker } from '../usage/usage-tracker.js';

/**
 * The observer `monitoring()` plugs into the server: each finished request becomes one priced
 * ledger row, written to the usage ledger (when enabled) and counted in the Prometheus metrics.
 * Each sink is isolated: one that throws is logged and the other still gets the row.
 */
export function createMonitoringObserver(options: {
  tracker: UsageTracker | undefined;
  metrics: MetricsCollector;
  prices: PriceResolver;
  logger: Logger;
}): RequestObserver {
  const { tracker, metrics, prices, logger } = options;
  return {
    onRequestComplete(request: RequestRecord) {
      let row: ReturnType<typeof usageRecordFromRequest>;
      try {
        row = tracker ? tracker.recordRequest(request) : usageRecordFromRequest(request, prices);
      } catch (error) {
        logger.warn('usage tracker failed to record a request', {
          message: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      if (!row) return;
      try {
        metrics.observeRecord(row);
      } catch (error) {
        logger.warn('metrics failed to record a request', {
          message: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}
