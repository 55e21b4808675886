import { randomUUID } from 'node:crypto';
import type { MessagesRequest, RoutingContext, RoutingDecision } from '@conduit/core';
import type { RequestOutcome } from './usage-types.js';

/** One model call as a caller reports it to `UsageTracker#track` (the seed plan's `UsageData`). */
export interface UsageData {
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  projectId?: string;
  agentId?: string;
  sessionId?: string;
  /** Ledger id; generated when absent (the ledger keeps one row per id). */
  requestId?: string;
  /** When the call started (default now). */
  timestamp?: Date;
  latencyMs?: number;
  /** HTTP status (default 200). */
  status?: number;
  errorType?: string;
  streamed?: boolean;
  /** Why the call went where it did (default `reported`). */
  routeReason?: string;
}

/** The outcome of a routing-only row (`trackRequest(context, decision)`): input tokens estimated. */
export function routingOutcome(
  context: RoutingContext,
  decision: RoutingDecision,
  now: number,
): RequestOutcome {
  const tokens = context.tokenCount ?? decision.tokenCount;
  const id = typeof decision.metadata?.requestId === 'string' ? decision.metadata.requestId : '';
  return {
    requestId: id !== '' ? id : `route_${randomUUID().replaceAll('-', '')}`,
    startedAt: new Date(now),
    usage: {
      input_tokens: typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : 0,
      output_tokens: 0,
    },
    usageEstimated: true,
    latencyMs: 0,
    status: 200,
    streamed: false,
  };
}

/** Turns a {@link UsageData} report into what `trackRequest` records. */
export function usageDataToReport(
  usage: UsageData,
  defaults: { requestId: string; now: number },
): { context: RoutingContext; decision: RoutingDecision; outcome: RequestOutcome } {
  if (usage === null || typeof usage !== 'object') {
    throw new TypeError('track(usage) needs an object with provider, model and inputTokens');
  }
  if (typeof usage.provider !== 'string' || typeof usage.model !== 'string') {
    throw new TypeError('track(usage) needs the provider and model as strings');
  }
  const metadata: Record<string, unknown> = {};
  if (usage.projectId !== undefined) metadata.projectId = usage.projectId;
  if (usage.agentId !== undefined) metadata.agentId = usage.agentId;
  const request: MessagesRequest = { model: usage.model, max_tokens: 1, messages: [] };
  return {
    context: {
      request,
      metadata,
      ...(usage.sessionId === undefined ? {} : { sessionId: usage.sessionId }),
    },
    decision: {
      provider: usage.provider,
      model: usage.model,
      reason: usage.routeReason ?? 'reported',
      scenario: 'default',
      confidence: 1,
      tokenCount: usage.inputTokens,
      fallbacks: [],
      metadata,
    },
    outcome: {
      requestId: usage.requestId ?? defaults.requestId,
      startedAt: usage.timestamp ?? new Date(defaults.now),
      usage: {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens ?? 0,
        cache_read_input_tokens: usage.cacheReadTokens ?? 0,
        cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
      },
      usageEstimated: false,
      latencyMs: usage.latencyMs ?? 0,
      status: usage.status ?? 200,
      ...(usage.errorType === undefined ? {} : { errorType: usage.errorType }),
      streamed: usage.streamed ?? false,
    },
  };
}
