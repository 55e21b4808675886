import type { StopReason, Usage } from './anthropic-messages.js';
import type { RoutingDecision } from './routing.js';

/**
 * Core's {@link Usage} with every count resolved to a number: what Conduit reports once it has
 * read (or estimated) the upstream's usage. A refinement of the one usage type, not another one.
 */
export type UsageCounts = {
  [Key in
    | 'input_tokens'
    | 'output_tokens'
    | 'cache_creation_input_tokens'
    | 'cache_read_input_tokens']-?: NonNullable<Usage[Key]>;
};

/**
 * What is known about a response's outcome once the upstream answered: the usage (upstream's, or
 * Conduit's estimate), the stop reason, and the error type when it ended in an error.
 */
export interface CallOutcome {
  usage: UsageCounts;
  /** True when the upstream reported no usage and Conduit estimated it. */
  usageEstimated: boolean;
  stopReason: StopReason | null;
  /** Set when the response ended in an error (for streams, an `error` event or a cut). */
  errorType?: string;
}

/**
 * One finished `/v1/messages` request, as handed to a {@link RequestObserver}: the one record
 * the usage ledger, the metrics and Synapse all read. Times are milliseconds measured with the
 * server's clock.
 */
export interface RequestRecord {
  requestId: string;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  /** Routing metadata: session and agent ids, the requested model, user agent, plugin tags. */
  metadata: Record<string, unknown>;
  /** The router's decision; null when the request failed before routing. */
  decision: RoutingDecision | null;
  /** The target that finally served (differs from `decision` after a fallback). */
  servedBy: { provider: string; model: string } | null;
  /** Token usage (Anthropic's meaning); null when the request failed before any. */
  usage: UsageCounts | null;
  /** True when the upstream reported no usage and Conduit estimated it. */
  usageEstimated: boolean;
  stopReason: string | null;
  /** Arrival until the response finished (stream closed) or failed. */
  latencyMs: number;
  /** Arrival until the first response byte went to the client; null if none did. */
  ttfbMs: number | null;
  /** Upstream call start until its response (headers, or the whole JSON body) arrived. */
  upstreamMs: number | null;
  /** HTTP status sent to the client. */
  status: number;
  /**
   * Null on success. Otherwise the Anthropic error type sent, or for streams that failed after
   * the first byte: `stream_error`, `stream_incomplete`, `client_closed`, or the `error` event type.
   */
  errorType: string | null;
  streamed: boolean;
}

/**
 * Receives exactly one record per `/v1/messages` request (the seam `@conduit/monitoring` and
 * `@conduit/synapse` plug into). Called after the response has finished; a throwing or rejecting
 * observer is logged and otherwise ignored.
 */
export interface RequestObserver {
  onRequestComplete(record: RequestRecord): void | Promise<void>;
}
