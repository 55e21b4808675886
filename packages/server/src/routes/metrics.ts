import type { MetricsCollector } from '@conduit/monitoring';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';

/** `GET /metrics`: the Prometheus text exposition of the server's own registry. */
export function createMetricsHandler(metrics: MetricsCollector) {
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const body = await metrics.metrics();
    return context.body(body, 200, { 'content-type': metrics.contentType });
  };
}
