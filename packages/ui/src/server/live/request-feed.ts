/**
 * The live request log: the UI's request observer turns each finished `/v1/messages` request into
 * a {@link RequestEvent}, keeps the last few hundred in memory (no bodies, ever) and pushes each
 * one to every open event stream.
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

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** One observed request as the live log shows it. */
export function toRequestEvent(record: ObservedRequest, price: PriceRequest): RequestEvent {
  const decision = record.decision;
  const routedTo = decision ? `${decision.provider},${decision.model}` : null;
  const servedBy = record.servedBy ? `${record.servedBy.provider},${record.servedBy.model}` : null;
  const tokens = {
    inputTokens: record.usage?.input_tokens ?? 0,
    outputTokens: record.usage?.output_tokens ?? 0,
    cacheReadTokens: record.usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: record.usage?.cache_creation_input_tokens ?? 0,
  };
  const metadata = record.metadata;
  const target = record.servedBy ?? decision;
  return {
    id: record.requestId,
    startedAt: record.startedAt,
    routeReason: decision?.reason ?? null,
    scenario: decision?.scenario ?? null,
    requestedModel: stringOrNull(metadata.requestedModel),
    routedTo,
    servedBy,
    fellBack: routedTo !== null && servedBy !== null && routedTo !== servedBy,
    fallbacks: decision?.fallbacks ?? [],
    // Only a count the router made: the feed must not tokenize every request.
    tokenCount: (decision && tokenCountIfCounted(decision)) ?? null,
    ...tokens,
    usageEstimated: record.usageEstimated,
    costUsd: target && record.usage ? price(target.provider, target.model, tokens) : null,
    latencyMs: record.latencyMs,
    ttfbMs: record.ttfbMs,
    upstreamMs: record.upstreamMs,
    status: record.status,
    errorType: record.errorType,
    streamed: record.streamed,
    projectId: stringOrNull(metadata.projectId),
    agentId: stringOrNull(metadata.agentId),
  };
}

/** Recent requests and the event streams listening for new ones. */
export class RequestFeed {
  private readonly recent: RequestEvent[] = [];
  private readonly listeners = new Set<(event: RequestEvent) => void>();

  constructor(private readonly capacity: number) {}

  publish(event: RequestEvent): void {
    this.recent.push(event);
    if (this.recent.length > this.capacity)
      this.recent.splice(0, this.recent.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken stream must not stop the others; its own close handler unsubscribes it.
      }
    }
  }

  /** Newest first. */
  list(limit: number): RequestEvent[] {
    return this.recent.slice(-limit).reverse();
  }

  find(id: string): RequestEvent | undefined {
    return this.recent.find(event => event.id === id);
  }

  subscribe(listener: (event: RequestEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
