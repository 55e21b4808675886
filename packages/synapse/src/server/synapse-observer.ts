import type { MessagesRequest, RoutingContext } from '@conduit/core';
import type { RequestObserver, RequestRecord } from '@conduit/server';
import type { SynapseLedger } from '../integration/synapse-ledger.js';

/**
 * Records each finished `/v1/messages` request in the usage ledger and counts its cost against
 * budgets at once (so the next request sees it without waiting for the ledger), then hands the
 * record to `next` (the caller's own observer). Requests that failed before routing are skipped:
 * there is no provider to attribute them to.
 */
export function createSynapseObserver(
  ledger: SynapseLedger,
  next?: RequestObserver,
): RequestObserver {
  return {
    async onRequestComplete(record: RequestRecord) {
      try {
        record.decision && recordUsage(ledger, record);
      } finally {
        await next?.onRequestComplete(record);
      }
    },
  };
}

function recordUsage(ledger: SynapseLedger, record: RequestRecord): void {
  const decision = record.decision!;
  const served = record.servedBy ? { ...decision, ...record.servedBy } : decision;
  const metadata = record.metadata;
  const sessionId = typeof metadata.sessionId === 'string' ? metadata.sessionId : undefined;
  // The ledger reads only metadata and the session id from the context.
  const context: RoutingContext = {
    request: { model: served.model, max_tokens: 1, messages: [] } as MessagesRequest,
    metadata,
    ...(sessionId ? { sessionId } : {}),
  };
  ledger.tracker?.trackRequest(context, served, {
    requestId: record.requestId,
    startedAt: new Date(record.startedAt),
    ...(record.usage ? { usage: record.usage } : {}),
    usageEstimated: record.usageEstimated,
    latencyMs: record.latencyMs,
    ...(record.ttfbMs === null ? {} : { ttfbMs: record.ttfbMs }),
    ...(record.upstreamMs === null ? {} : { upstreamMs: record.upstreamMs }),
    status: record.status,
    ...(record.errorType === null ? {} : { errorType: record.errorType }),
    streamed: record.streamed,
  });
  if (!record.usage) return;
  const cost = ledger.priceUsage(served.provider, served.model, {
    inputTokens: record.usage.input_tokens ?? 0,
    outputTokens: record.usage.output_tokens ?? 0,
    cacheReadTokens: record.usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: record.usage.cache_creation_input_tokens ?? 0,
  });
  ledger.budgetGuard?.recordSpend({
    projectId: typeof metadata.projectId === 'string' ? metadata.projectId : null,
    agentId: typeof metadata.agentId === 'string' ? metadata.agentId : null,
    costUsd: cost,
    at: record.startedAt,
  });
}
