import type { RequestObserver, RequestRecord } from '@conduit/core';
import type { SynapseLedger } from '../integration/synapse-ledger.js';

/**
 * Synapse's part of each finished `/v1/messages` request. The ledger row itself is written by the
 * server (it uses Synapse's tracker as its `usageTracker`, and the routing metadata carries the
 * project and agent ids); this observer counts the request's cost against budgets at once, so the
 * next request sees it without waiting for the ledger, calls `onFinish` with the request id, then
 * hands the record to `next` (the caller's own observer).
 */
export function createSynapseObserver(options: {
  ledger: SynapseLedger;
  /** Called with every finished request's id (to drop per-request state). */
  onFinish?(requestId: string): void;
  next?: RequestObserver;
}): RequestObserver {
  return {
    async onRequestComplete(record: RequestRecord) {
      try {
        options.onFinish?.(record.requestId);
        recordSpend(options.ledger, record);
      } finally {
        await options.next?.onRequestComplete(record);
      }
    },
  };
}

/** Requests that failed before routing, or reported no usage, cost nothing. */
function recordSpend(ledger: SynapseLedger, record: RequestRecord): void {
  if (!record.decision || !record.usage || !ledger.budgetGuard) return;
  const served = record.servedBy ?? record.decision;
  const metadata = record.metadata;
  const cost = ledger.priceUsage(served.provider, served.model, {
    inputTokens: record.usage.input_tokens ?? 0,
    outputTokens: record.usage.output_tokens ?? 0,
    cacheReadTokens: record.usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: record.usage.cache_creation_input_tokens ?? 0,
  });
  ledger.budgetGuard.recordSpend({
    projectId: typeof metadata.projectId === 'string' ? metadata.projectId : null,
    agentId: typeof metadata.agentId === 'string' ? metadata.agentId : null,
    costUsd: cost,
    at: record.startedAt,
  });
}
