import type { Logger } from '@conduit/core';
import type { MetricsCollector, UsageTracker } from '@conduit/monitoring';
import type { RequestObserver, RequestRecord } from '../observer/request-observer.js';
import { toUsageReport } from './usage-report.js';

/**
 * The observer the server installs: each finished request is converted once and goes to the usage
 * ledger (when enabled), the Prometheus metrics, and the caller's own observer. Each sink is
 * isolated: one that throws is logged and the others still get the record.
 */
export function createMonitoringObserver(options: {
  getTracker(): UsageTracker | undefined;
  metrics: MetricsCollector;
  observer?: RequestObserver;
  logger: Logger;
}): RequestObserver {
  const { metrics, logger } = options;
  const isolate = (sink: string, action: () => void) => {
    try {
      action();
    } catch (error) {
      logger.warn(`${sink} failed to record a request`, {
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  return {
    onRequestComplete(record: RequestRecord) {
      const report = toUsageReport(record);
      if (report) {
        const tracker = options.getTracker();
        if (tracker) {
          isolate('usage tracker', () =>
            tracker.trackRequest(report.context, report.decision, report.outcome),
          );
        }
        isolate('metrics', () =>
          metrics.observeRequest(report.context, report.decision, report.outcome),
        );
      }
      return options.observer?.onRequestComplete(record);
    },
  };
}
