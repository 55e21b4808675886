import type { UsageStats, UsageTracker } from '@conduit/monitoring';
import { parseUsageQuery } from '@conduit/monitoring';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { UsageUnavailableError } from '../errors/usage-unavailable-error.js';

/**
 * `GET /api/usage?projectId=&agentId=&since=&until=&range=`: usage statistics from the ledger
 * (totals, by model, provider, agent, project and day). `since`/`until` are ISO 8601 dates or
 * epoch milliseconds; `range` (`24h`, `7d`, ...) counts back from `until` or now. Bad parameters
 * are a 400 naming the parameter; without a ledger the answer is a 503 saying why.
 */
export function createUsageHandler(options: {
  getTracker(): UsageTracker | undefined;
  /** Why there is no ledger (shown in the 503). */
  getUnavailableReason(): string | undefined;
}) {
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const tracker = options.getTracker();
    if (!tracker) {
      throw new UsageUnavailableError({
        reason: options.getUnavailableReason() ?? 'usage tracking is disabled',
      });
    }
    const query = parseUsageQuery(context.req.query());
    const stats: UsageStats = await tracker.getStats(query.projectId, {
      ...(query.since ? { since: query.since } : {}),
      ...(query.until ? { until: query.until } : {}),
      ...(query.agentId ? { agentId: query.agentId } : {}),
    });
    return context.json(stats);
  };
}
