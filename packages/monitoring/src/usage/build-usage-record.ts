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
  return toUsageRecord(
    outcome,
    context.metadata,
    context.sessionId,
    decision,
    decision.provider,
    decision.model,
    prices,
  );
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
  const decision = record.decision;
  if (!decision) return null;
  // The record itself is the outcome (no copy per request); the decision's lazy `tokenCount` is
  // never read (a tokenization the row does not use).
  const target = record.servedBy ?? decision;
  const sessionId = record.metadata.sessionId;
  return toUsageRecord(
    record,
    record.metadata,
    typeof sessionId === 'string' ? sessionId : undefined,
    decision,
    target.provider,
    target.model,
    prices,
  );
}

/**
 * What {@link toUsageRecord} reads of an outcome: a `RequestOutcome` (the seed API's report) or
 * the server's `RequestRecord` (epoch-ms `startedAt`, `null` for absent values).
 */
interface OutcomeFields {
  requestId: string;
  startedAt: Date | number;
  usage?: RequestOutcome['usage'] | null;
  usageEstimated: boolean;
  latencyMs: number;
  ttfbMs?: number | null;
  upstreamMs?: number | null;
  status: number;
  errorType?: string | null;
  streamed: boolean;
  clientApi?: string;
}

/**
 * Builds and prices the row in one object literal of a fixed shape (no spreads, no intermediate
 * objects): it runs once per request, after the response is written.
 */
function toUsageRecord(
  outcome: OutcomeFields,
  metadata: Record<string, unknown> | undefined,
  sessionId: string | undefined,
  decision: RoutingDecision,
  provider: string,
  model: string,
  prices: PriceResolver,
): UsageRecord {
  if (typeof outcome.requestId !== 'string' || outcome.requestId === '') {
    throw new TypeError('usage report needs a non-empty requestId');
  }
  const timestamp =
    typeof outcome.startedAt === 'number' ? new Date(outcome.startedAt) : outcome.startedAt;
  if (!(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) {
    throw new TypeError(`usage report ${outcome.requestId} needs a valid startedAt date`);
  }
  if (typeof provider !== 'string' || typeof model !== 'string') {
    throw new TypeError(
      `usage report ${outcome.requestId} needs the decision's provider and model`,
    );
  }
  const usage = outcome.usage ?? undefined;
  const inputTokens = toCount(usage?.input_tokens);
  const outputTokens = toCount(usage?.output_tokens);
  const cacheReadTokens = toCount(usage?.cache_read_input_tokens);
  const cacheWriteTokens = toCount(usage?.cache_creation_input_tokens);
  const resolved = prices.resolve(provider, model);
  const decisionMetadata = decision.metadata;
  const record: UsageRecord = {
    id: toText(outcome.requestId),
    timestamp,
    projectId: metadataText(metadata?.projectId ?? decisionMetadata?.projectId),
    agentId: metadataText(metadata?.agentId ?? decisionMetadata?.agentId),
    sessionId: sessionId
      ? toText(sessionId)
      : metadataText(metadata?.sessionId ?? decisionMetadata?.sessionId),
    provider: toText(provider),
    model: toText(model),
    routeReason: toText(String(decision.reason)),
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    // No usage at all is an estimate of zero, not a measurement.
    usageEstimated: outcome.usageEstimated || usage === undefined,
    costUsd:
      resolved === null
        ? null
        : computeCost(
            { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens },
            resolved.price,
          ),
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
  // Rows of keyless requests leave `apiKeyId` out (as rows written before virtual keys did).
  const apiKeyId = metadataText(metadata?.apiKeyId ?? decisionMetadata?.apiKeyId);
  if (apiKeyId !== null) record.apiKeyId = apiKeyId;
  return record;
}

/** `true` for rows counted as errors: an HTTP error status or an error type. */
export function isErrorOutcome(status: number, errorType: string | null | undefined): boolean {
  return status >= 400 || (errorType !== null && errorType !== undefined);
}

/**
 * A metadata value as row text. Callers read the request's metadata, then the decision's, by
 * property name (a named load per call site is cheaper than one keyed load shared by four keys).
 */
function metadataText(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return toText(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function toCount(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function toDuration(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** PostgreSQL text cannot hold NUL; a stray one would make the whole batch fail forever. */
function toText(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
