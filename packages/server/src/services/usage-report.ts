import type { MessagesRequest, RoutingContext, RoutingDecision } from '@conduit/core';
import type { RequestOutcome } from '@conduit/monitoring';
import type { RequestRecord } from '../observer/request-observer.js';

/** A finished request in the shape `UsageTracker` and `MetricsCollector` take. */
export interface UsageReport {
  context: RoutingContext;
  decision: RoutingDecision;
  outcome: RequestOutcome;
}

/**
 * Turns the server's request record into the ledger's (context, decision, outcome) triple. The
 * decision names the target that finally served (after a fallback). Requests that failed before
 * routing have no provider to attribute and give `null`.
 */
export function toUsageReport(record: RequestRecord): UsageReport | null {
  if (!record.decision) return null;
  const metadata = record.metadata;
  const sessionId = typeof metadata.sessionId === 'string' ? metadata.sessionId : undefined;
  // The ledger reads only the metadata and the session id from the context.
  const context: RoutingContext = {
    request: {
      model: record.decision.model,
      max_tokens: 0,
      messages: [],
    } as unknown as MessagesRequest,
    metadata,
    sessionId,
  };
  const decision = record.servedBy ? { ...record.decision, ...record.servedBy } : record.decision;
  return {
    context,
    decision,
    outcome: {
      requestId: record.requestId,
      startedAt: new Date(record.startedAt),
      usage: record.usage ?? undefined,
      usageEstimated: record.usageEstimated,
      latencyMs: record.latencyMs,
      ttfbMs: record.ttfbMs ?? undefined,
      upstreamMs: record.upstreamMs ?? undefined,
      status: record.status,
      errorType: record.errorType ?? undefined,
      streamed: record.streamed,
    },
  };
}
