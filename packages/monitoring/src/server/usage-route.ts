import type { ServerRoute } from '@conduit/core';
import { parseUsageQuery } from '../usage/usage-query.js';
import type { UsageTracker } from '../usage/usage-tracker.js';
import type { UsageStats } from '../usage/usage-types.js';
import { UsageUnavailableError } from './usage-unavailable-error.js';

/**
 * `GET /api/usage?projectId=&agentId=&sessionId=&since=&until=&range=`: usage statistics from the ledger
 * (totals, by model, provider, agent, project and day). `since`/`until` are ISO 8601 dates or
 * epoch milliseconds; `range` (`24h`, `7d`, ...) counts back from `until` or now. Bad parameters
 * are a 400 naming the parameter; without a ledger the answer is a 503 saying why.
 */
export function createUsageRoute(options: {
  tracker: UsageTracker | undefined;
  /** Why there is no ledger (shown in the 503). */
  unavailableReason: string | undefined;
}): ServerRoute {
  return {
    method: 'GET',
    path: '/api/usage',
    handler: async request => {
      const tracker = options.tracker;
      if (!tracker) {
        throw new UsageUnavailableError({
          reason: options.unavailableReason ?? 'usage tracking is disabled',
        });
      }
      const query = parseUsageQuery(Object.fromEntries(new URL(request.url).searchParams));
      const stats: UsageStats = await tracker.getStats(query.projectId, {
        ...(query.since ? { since: query.since } : {}),
        ...(query.until ? { until: query.until } : {}),
        ...(query.agentId ? { agentId: query.agentId } : {}),
        ...(query.sessionId ? { sessionId: query.sessionId } : {}),
      });
      return Response.json(stats);
    },
  };
}
