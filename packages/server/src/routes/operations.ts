import type { HealthReport, MetricsCollector, UsageTracker } from '@conduit/monitoring';
import type { Hono } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { createReadinessHandler } from './health.js';
import { createMetricsHandler } from './metrics.js';
import { type SessionRouteDependencies, createSessionHandler } from './sessions.js';
import { createUsageHandler } from './usage.js';

/** What the operational endpoints read from the server. */
export interface OperationsDependencies {
  metrics: MetricsCollector;
  getUsageTracker(): UsageTracker | undefined;
  getUsageUnavailableReason(): string | undefined;
  runHealthChecks(): Promise<HealthReport>;
  /** `GET /api/sessions/:sessionId` (for `conduit statusline`). */
  sessions?: SessionRouteDependencies;
}

/**
 * `GET /metrics` (Prometheus text), `GET /api/usage` (JSON stats), `GET /health/ready`, and
 * `GET /api/sessions/:sessionId` (one Claude Code session's last route and totals).
 */
export function mountOperationRoutes(app: Hono<ConduitEnv>, operations: OperationsDependencies) {
  app.get(
    '/health/ready',
    createReadinessHandler(() => operations.runHealthChecks()),
  );
  app.get('/metrics', createMetricsHandler(operations.metrics));
  app.get(
    '/api/usage',
    createUsageHandler({
      getTracker: operations.getUsageTracker,
      getUnavailableReason: operations.getUsageUnavailableReason,
    }),
  );
  if (operations.sessions)
    app.get('/api/sessions/:sessionId', createSessionHandler(operations.sessions));
}
