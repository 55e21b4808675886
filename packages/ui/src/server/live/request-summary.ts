/**
 * What the live log keeps of one finished request until someone reads it: the values its
 * {@link RequestEvent} is made of, copied when the request finishes, so the log neither holds the
 * request (its decision can hold the body, for a lazy token count) nor builds and prices an event
 * per request that no open page may ever read.
 * @module
 */
import { type RoutingDecision, tokenCountIfCounted } from '@conduit/core';
import type { RequestEvent } from '../api-schemas.js';

/** The parts of `@conduit/server`'s `RequestRecord` the log shows. */
export interface ObservedRequest {
  requestId: string;
  startedAt: number;
  metadata: Record<string, unknown>;
  decision: RoutingDecision | null;
  servedBy: { provider: string; model: string } | null;
  usage: {
    input_tokens?: number | null;
    output_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
  } | null;
  usageEstimated: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  upstreamMs: number | null;
  status: number;
  errorType: string | null;
  streamed: boolean;
}

/** Prices a request (the ledger's price table); null when the model has no price. */
export type PriceRequest = (
  provider: string,
  model: string,
  tokens: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
  },
) => number | null;

const noFallbacks: readonly string[] = Object.freeze([]);

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * One request's values, in fields of fixed types. The feed reuses these objects as a ring (one
 * per place in the log), so recording a request allocates nothing; `fill` replaces every field.
 */
export class RequestSummary {
  requestId = '';
  startedAt = 0;
  /** The router's target; `routedProvider` null when the request failed before routing. */
  routedProvider: string | null = null;
  routedModel = '';
  routeReason: string | null = null;
  scenario: string | null = null;
  fallbacks: readonly string[] = noFallbacks;
  tokenCount: number | null = null;
  servedProvider: string | null = null;
  servedModel = '';
  requestedModel: string | null = null;
  projectId: string | null = null;
  agentId: string | null = null;
  hasUsage = false;
  inputTokens = 0;
  outputTokens = 0;
  cacheReadTokens = 0;
  cacheWriteTokens = 0;
  usageEstimated = false;
  latencyMs = 0;
  ttfbMs: number | null = null;
  upstreamMs: number | null = null;
  status = 0;
  errorType: string | null = null;
  streamed = false;

  fill(record: ObservedRequest): void {
    const decision = record.decision;
    const servedBy = record.servedBy;
    const usage = record.usage;
    const metadata = record.metadata;
    this.requestId = record.requestId;
    this.startedAt = record.startedAt;
    this.routedProvider = decision ? decision.provider : null;
    this.routedModel = decision ? decision.model : '';
    this.routeReason = decision?.reason ?? null;
    this.scenario = decision?.scenario ?? null;
    this.fallbacks = decision?.fallbacks ?? noFallbacks;
    // Read now: only a count the router made (the log must not tokenize every request).
    this.tokenCount = (decision && tokenCountIfCounted(decision)) ?? null;
    this.servedProvider = servedBy ? servedBy.provider : null;
    this.servedModel = servedBy ? servedBy.model : '';
    this.requestedModel = stringOrNull(metadata.requestedModel);
    this.projectId = stringOrNull(metadata.projectId);
    this.agentId = stringOrNull(metadata.agentId);
    this.hasUsage = Boolean(usage);
    this.inputTokens = usage?.input_tokens ?? 0;
    this.outputTokens = usage?.output_tokens ?? 0;
    this.cacheReadTokens = usage?.cache_read_input_tokens ?? 0;
    this.cacheWriteTokens = usage?.cache_creation_input_tokens ?? 0;
    this.usageEstimated = record.usageEstimated;
    this.latencyMs = record.latencyMs;
    this.ttfbMs = record.ttfbMs;
    this.upstreamMs = record.upstreamMs;
    this.status = record.status;
    this.errorType = record.errorType;
    this.streamed = record.streamed;
  }

  /** The request as the live log shows it (a new object each call). */
  toEvent(price: PriceRequest): RequestEvent {
    const routedTo =
      this.routedProvider === null ? null : `${this.routedProvider},${this.routedModel}`;
    const servedBy =
      this.servedProvider === null ? null : `${this.servedProvider},${this.servedModel}`;
    const tokens = {
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheReadTokens: this.cacheReadTokens,
      cacheWriteTokens: this.cacheWriteTokens,
    };
    // The target that served: the one after a fallback, else the router's.
    const targetProvider = this.servedProvider ?? this.routedProvider;
    const targetModel = this.servedProvider === null ? this.routedModel : this.servedModel;
    return {
      id: this.requestId,
      startedAt: this.startedAt,
      routeReason: this.routeReason,
      scenario: this.scenario,
      requestedModel: this.requestedModel,
      routedTo,
      servedBy,
      fellBack: routedTo !== null && servedBy !== null && routedTo !== servedBy,
      fallbacks: [...this.fallbacks],
      tokenCount: this.tokenCount,
      ...tokens,
      usageEstimated: this.usageEstimated,
      costUsd:
        targetProvider !== null && this.hasUsage
          ? price(targetProvider, targetModel, tokens)
          : null,
      latencyMs: this.latencyMs,
      ttfbMs: this.ttfbMs,
      upstreamMs: this.upstreamMs,
      status: this.status,
      errorType: this.errorType,
      streamed: this.streamed,
      projectId: this.projectId,
      agentId: this.agentId,
    };
  }
}

/** One observed request as the live log shows it. */
export function toRequestEvent(record: ObservedRequest, price: PriceRequest): RequestEvent {
  const summary = new RequestSummary();
  summary.fill(record);
  return summary.toEvent(price);
}
