import { type ConduitConfig, type Logger, type ServerExtension, silentLogger } from '@conduit/core';
import { createUsageStorageCheck } from '../health/health-checks.js';
import { MetricsCollector } from '../metrics/metrics-collector.js';
import { PriceResolver } from '../pricing/price-resolver.js';
import { createUsageTracker } from '../usage/create-usage-tracker.js';
import type { UsageTracker } from '../usage/usage-tracker.js';
import { createMetricsRoute } from './metrics-route.js';
import { createMonitoringObserver } from './monitoring-observer.js';
import { createUsageRoute } from './usage-route.js';

/** Options of {@link monitoring}. */
export interface MonitoringOptions {
  logger?: Logger;
  /** `$CONDUIT_HOME` for the default `usage.db` (default: the environment's, else `~/.conduit`). */
  home?: string;
  /** `false` turns the usage ledger off (as `usage.enabled: false` does). */
  usage?: false;
  /** A ledger to use instead of the one `usage.storage` names (the caller closes it). */
  usageTracker?: UsageTracker;
  /** A metrics collector to feed instead of a new one (one registry per gateway by default). */
  metrics?: MetricsCollector;
}

/** What {@link monitoring} plugs into the server, and the parts it is made of. */
export interface Monitoring extends ServerExtension {
  /** The Prometheus metrics of this gateway. */
  readonly metrics: MetricsCollector;
  /** The usage ledger, unless usage tracking is off or its storage cannot be used. */
  readonly usageTracker: UsageTracker | undefined;
  /** Why the ledger is off (`usage.enabled: false`, or the error that prevented it). */
  readonly usageUnavailable: string | undefined;
}

/**
 * The usage ledger, Prometheus metrics and their health check, as one server extension: an
 * observer writing each request's record to the ledger and the metrics, `GET /metrics`,
 * `GET /api/usage`, the `storage` health check and the circuit gauge. Nothing here may fail
 * start-up or a request: a ledger that cannot be opened is reported by the `storage` check.
 *
 * @example
 * ```ts
 * const server = createConduitServer(config, { extensions: [monitoring(parseConduitConfig(config))] });
 * ```
 */
export function monitoring(config: ConduitConfig, options: MonitoringOptions = {}): Monitoring {
  const logger = options.logger ?? silentLogger;
  const { tracker, unavailable } = openTracker(config, options, logger);
  const ownsTracker = tracker !== undefined && !options.usageTracker;
  const prices = tracker?.prices ?? new PriceResolver({ overrides: config.usage.pricing, logger });
  const metrics = options.metrics ?? new MetricsCollector({ prices });
  if (tracker) metrics.trackUsageTracker(tracker);
  const ledgerOff = options.usage === false || !config.usage.enabled;
  return {
    name: 'monitoring',
    metrics,
    usageTracker: tracker,
    usageUnavailable: unavailable,
    observer: createMonitoringObserver({ tracker, metrics, prices, logger }),
    routes: [
      createMetricsRoute(metrics),
      createUsageRoute({ tracker, unavailableReason: unavailable }),
    ],
    healthChecks: [
      {
        name: 'storage',
        critical: false,
        check: tracker
          ? createUsageStorageCheck(tracker)
          : () =>
              ledgerOff
                ? { status: 'healthy', message: unavailable }
                : { status: 'unhealthy', message: unavailable },
      },
    ],
    onCircuitStateChange: (target, state) =>
      metrics.setCircuitState(target.provider, target.model, state),
    applyConfig: async (next, previous) => {
      if (JSON.stringify(next.usage) !== JSON.stringify(previous.usage)) {
        logger.warn('changes to "usage" apply after a restart');
      }
    },
    close: async () => {
      if (tracker && ownsTracker) {
        await tracker.close().catch((error: unknown) => {
          logger.error('usage records could not be flushed at shutdown', {
            message: error instanceof Error ? error.message : String(error),
          });
        });
      } else if (tracker) {
        await tracker.flush().catch(() => undefined);
      }
    },
  };
}

function openTracker(
  config: ConduitConfig,
  options: MonitoringOptions,
  logger: Logger,
): { tracker?: UsageTracker; unavailable?: string } {
  if (options.usageTracker) return { tracker: options.usageTracker };
  if (options.usage === false) return { unavailable: 'usage tracking is disabled' };
  if (!config.usage.enabled) return { unavailable: 'usage.enabled is false' };
  try {
    return {
      tracker: createUsageTracker(config.usage, {
        logger,
        ...(options.home ? { home: options.home } : {}),
      }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('usage tracking is off: the usage storage cannot be used', { message });
    return { unavailable: message };
  }
}
