import type { ServerRoute } from '@conduit/core';
import type { MetricsCollector } from '../metrics/metrics-collector.js';

/** `GET /metrics`: the Prometheus text exposition of this gateway's own registry. */
export function createMetricsRoute(metrics: MetricsCollector): ServerRoute {
  return {
    method: 'GET',
    path: '/metrics',
    handler: async () =>
      new Response(await metrics.metrics(), {
        status: 200,
        headers: { 'content-type': metrics.contentType },
      }),
  };
}
