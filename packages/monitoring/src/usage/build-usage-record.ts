import type { RequestRecord, RoutingContext, RoutingDecision } from '@conduit/core';
import { computeCost } from '../pricing/compute-cost.js';
import type { PriceResolver } from '../pricing/price-resolver.js';
import type { RequestOutcome, UsageRecord } from './usage-types.js';

/**
 * Turns what the server reports about one finished request into a ledger row, pricing it on the
 * way. Pure apart from the resolver's cache and one-time warnings. Odd numbers are tolerated
 * (negative or non-finite counts become 0, so a buggy caller cannot poison the sums); a report
 * without a request id, a valid start time, a provider or a model throws a `TypeError`, because
 * such a row could never be stored (and would block the batch it sits in).
 */
export function buildUsageRecord(
  context: Pick<RoutingContext, 'metadata' | 'sessionId'>,
  decision: RoutingDecision,
  outcome: RequestOutcome,
  prices: PriceResolver,
): UsageRecord {
  if (typeof outcome.requestId !== 'string' || outcome.requestId === '') {
    throw new TypeError('usage report needs a non-empty requestId');
  }
  if (!(outcome.startedAt instanceof Date) || Number.isNaN(outcome.startedAt.getTime())) {
    throw new TypeError(`usage report ${outcome.requestId} needs a valid startedAt date`);
  }
  if (typeof decision.provider !== 'string' || typeof decision.model !== 'string') {
    throw new TypeError(
      `usage report ${outcome.requestId} needs the decision's provider and model`,
    );
  }
  const usage = outcome.usage;
  const tokens = {
    inputTokens: toCount(usage?.input_tokens),
    outputTokens: toCount(usage?.output_tokens),
    cacheReadTokens: toCount(usage?.cache_read_input_tokens),
    cacheWriteTokens: toCount(usage?.cache_creation_input_tokens),
  };
  const resolved = prices.resolve(decision.provider, decision.model);
  return {
    id: toText(outcome.requestId),
    timestamp: outcome.startedAt,
    projectId: readMetadata(context, decision, 'projectId'),
    agentId: readMetadata(context, decision, 'agentId'),
    sessionId: context.sessionId
      ? toText(context.sessionId)
      : readMetadata(context, decision, 'sessionId'),
    ...apiKeyColumn(readMetadata(context, decision, 'apiKeyId')),
    provider: toText(decision.provider),
    model: toText(decision.model),
    routeReason: toText(String(decision.reason)),
    ...tokens,
    // No usage at all is an estimate of zero, not a measurement.
    usageEstimated: outcome.usageEstimated || usage === undefined,
    costUsd: resolved === null ? null : computeCost(tokens, resolved.price),
    latencyMs: toDuration(outcome.latencyMs) ?? 0,
    ttfbMs: toDuration(outcome.ttfbMs),
    upstreamMs: toDuration(outcome.upstreamMs),
    status: Number.isInteger(outcome.status) ? outcome.status : 0,
    errorType: outcome.errorType == null ? null : toText(String(outcome.errorType)),
    streamed: outcome.streamed === true,
    clientApi:
      typeof outcome.clientApi === 'string' && outcome.clientApi.length > 0
        ? toText(outcome.clientApi)
        : null,
  };
}

/**
 * The ledger row of the server's request record (the one record every observer gets): the
 * decision names the target that finally served (after a fallback). `null` for a request that
 * failed before routing, which has no provider to attribute.
 */
export function usageRecordFromRequest(
  record: RequestRecord,
  prices: PriceResolver,
): UsageRecord | null {
  if (!record.decision) return null;
  const metadata = record.metadata;
  const sessionId = typeof metadata.sessionId === 'string' ? metadata.sessionId : undefined;
  // Not a spread of the decision: that would read its lazy `tokenCount`, a tokenization the row
  // does not use.
  const decision: RoutingDecision = record.servedBy
    ? Object.assign(Object.create(record.decision) as RoutingDecision, record.servedBy)
    : record.decision;
  return buildUsageRecord(
    { metadata, ...(sessionId ? { sessionId } : {}) },
    decision,
    {
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
      ...(record.clientApi ? { clientApi: record.clientApi } : {}),
    },
    prices,
  );
}

/** `true` for rows counted as errors: an HTTP error status or an error type. */
export function isErrorOutcome(status: number, errorType: string | null | undefined): boolean {
  return status >= 400 || (errorType !== null && errorType !== undefined);
}

function readMetadata(
  context: Pick<RoutingContext, 'metadata'>,
  decision: RoutingDecision,
  key: 'projectId' | 'agentId' | 'sessionId' | 'apiKeyId',
): string | null {
  const value = context.metadata?.[key] ?? decision.metadata?.[key];
  if (typeof value === 'string' && value.length > 0) return toText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Rows of keyless requests leave `apiKeyId` out (as rows written before virtual keys did). */
function apiKeyColumn(apiKeyId: string | null): { apiKeyId?: string } {
  return apiKeyId === null ? {} : { apiKeyId };
}

function toCount(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function toDuration(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** PostgreSQL text cannot hold NUL; a stray one would make the whole batch fail forever. */
function toText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
