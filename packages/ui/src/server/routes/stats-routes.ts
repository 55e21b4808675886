/**
 * `GET /ui/api/overview` (totals and the series of a range: the dashboard's first paint, two SQL
 * aggregates), `GET /ui/api/series` (any bucket width) and `GET /ui/api/breakdown` (one
 * dimension; the dashboard loads the five after the first paint), all from the usage ledger.
 * @module
 */
import type { UsageBreakdownDimension, UsageQuery, UsageTracker } from '@conduit/monitoring';
import { type Context, Hono } from 'hono';
import {
  describeInvalidInput,
  type StatsQuery,
  statsQuerySchema,
  uiRanges,
} from '../api-schemas.js';
import { uiError } from '../security/ui-access.js';
import type { UIGateway } from '../ui-gateway.js';

const dimensions: readonly UsageBreakdownDimension[] = [
  'model',
  'provider',
  'routeReason',
  'project',
  'agent',
];

function ledgerQuery(query: StatsQuery, now: number): UsageQuery {
  const until = new Date(now);
  const since = new Date(now - uiRanges[query.range].durationMs);
  return {
    since,
    until,
    ...(query.projectId ? { projectId: query.projectId } : {}),
    ...(query.agentId ? { agentId: query.agentId } : {}),
  };
}

type Parsed = { query: StatsQuery; tracker: UsageTracker } | { response: Response };

function parse(context: Context, gateway: UIGateway): Parsed {
  const parsed = statsQuerySchema.safeParse(context.req.query());
  if (!parsed.success) {
    return {
      response: uiError(
        context,
        400,
        'invalid_request_error',
        describeInvalidInput(parsed.error, 'query'),
      ),
    };
  }
  const tracker = gateway.usageTracker;
  if (!tracker) {
    return {
      response: uiError(
        context,
        503,
        'usage_unavailable',
        'The usage ledger is off (usage.enabled is false, or its storage failed to open); the dashboard needs it.',
      ),
    };
  }
  return { query: parsed.data, tracker };
}

export function createStatsRoutes(options: { gateway: UIGateway; now: () => number }): Hono {
  const app = new Hono();
  app.get('/overview', async context => {
    const parsed = parse(context, options.gateway);
    if ('response' in parsed) return parsed.response;
    const { query, tracker } = parsed;
    const range = ledgerQuery(query, options.now());
    const bucketMs = uiRanges[query.range].bucketMs;
    const series = await tracker.getSeries(range, bucketMs);
    return context.json({
      range: query.range,
      since: range.since!.toISOString(),
      until: range.until!.toISOString(),
      bucketMs,
      totals: series.totals,
      series: series.points,
    });
  });
  app.get('/series', async context => {
    const parsed = parse(context, options.gateway);
    if ('response' in parsed) return parsed.response;
    const { query, tracker } = parsed;
    return context.json(
      await tracker.getSeries(
        ledgerQuery(query, options.now()),
        query.bucketMs ?? uiRanges[query.range].bucketMs,
      ),
    );
  });
  app.get('/breakdown', async context => {
    const parsed = parse(context, options.gateway);
    if ('response' in parsed) return parsed.response;
    const { query, tracker } = parsed;
    if (!query.by) {
      return uiError(
        context,
        400,
        'invalid_request_error',
        `query: by: one of ${dimensions.join(', ')} is required`,
      );
    }
    return context.json(await tracker.getBreakdown(ledgerQuery(query, options.now()), query.by));
  });
  return app;
}
