/**
 * The data model of the usage ledger: what the server reports per request, the row stored per
 * request, and the JSON-friendly statistics computed from the rows.
 * @module
 */
import type { Usage } from '@conduit/core';

/** Token counts: core's one `Usage` type (kept under this name for existing imports). */
export type OutcomeUsage = Usage;

/** What the server knows about a request once it has completed (successfully or not). */
export interface RequestOutcome {
  /** Unique per request; the ledger keeps exactly one row per id. */
  requestId: string;
  /** When the request reached Conduit. */
  startedAt: Date;
  /** Token usage from the upstream, or Conduit's estimate when the upstream gave none. */
  usage?: OutcomeUsage;
  /** `true` when `usage` is Conduit's estimate rather than the upstream's report. */
  usageEstimated: boolean;
  /** Total time from arrival to the last byte sent to the client. */
  latencyMs: number;
  /** Time from arrival to the first byte sent to the client. */
  ttfbMs?: number;
  /** Time spent waiting on the upstream (connect to last byte); total minus this is Conduit's overhead. */
  upstreamMs?: number;
  /** HTTP status returned to the client. */
  status: number;
  /** Error type (Anthropic's `error.type`, or e.g. `timeout_error`, `client_aborted`) when the request failed. */
  errorType?: string;
  streamed: boolean;
}

/** One row of the usage ledger: one per request. */
export interface UsageRecord {
  id: string;
  /** When the request started. */
  timestamp: Date;
  projectId: string | null;
  agentId: string | null;
  sessionId: string | null;
  provider: string;
  model: string;
  /** The router's reason (`default`, `think`, `rule:<name>`, …). */
  routeReason: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** `true` when the token counts are Conduit's estimate. */
  usageEstimated: boolean;
  /** Cost in USD; `null` when the model's price is unknown (never a silent 0). */
  costUsd: number | null;
  latencyMs: number;
  ttfbMs: number | null;
  upstreamMs: number | null;
  status: number;
  errorType: string | null;
  streamed: boolean;
}

/** An inclusive-exclusive time window: `since <= timestamp < until`. Either bound may be omitted. */
export interface TimeRange {
  since?: Date;
  until?: Date;
}

/** Which rows a query covers. */
export interface UsageQuery extends TimeRange {
  projectId?: string;
  /** Only this agent's rows (`x-synapse-agent-id` / `metadata.agentId`). */
  agentId?: string;
  /** Only this Claude Code session's rows (`conduit statusline`). */
  sessionId?: string;
}

/** Latency percentiles (nearest-rank) over the rows of a group, in ms; `null` when there is no data. */
export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  average: number | null;
}

/** Aggregates over a set of rows. */
export interface UsageAggregate {
  requests: number;
  /** Rows with status >= 400 or an error type. */
  errors: number;
  /** `errors / requests` (0 when there are no requests). */
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Rows whose token counts were estimated. */
  estimatedRequests: number;
  /** Sum of the known costs, in USD. */
  costUsd: number;
  /** Rows whose cost is unknown (model without a price); their cost is not in `costUsd`. */
  unpricedRequests: number;
  latencyMs: LatencySummary;
  ttfbMs: LatencySummary;
}

export interface ModelUsage extends UsageAggregate {
  provider: string;
  model: string;
}
export interface ProviderUsage extends UsageAggregate {
  provider: string;
}
export interface AgentUsage extends UsageAggregate {
  agentId: string | null;
}
export interface ProjectUsage extends UsageAggregate {
  projectId: string | null;
}
export interface DayUsage extends UsageAggregate {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
}

/** Usage statistics for a project (or all projects) over a time range; plain JSON. */
export interface UsageStats {
  projectId: string | null;
  since: string | null;
  until: string | null;
  totals: UsageAggregate;
  /** Sorted by cost, then requests, descending. */
  byModel: ModelUsage[];
  byProvider: ProviderUsage[];
  byAgent: AgentUsage[];
  byProject: ProjectUsage[];
  /** Sorted by day ascending. */
  byDay: DayUsage[];
}

/** One line of a cost breakdown. */
export interface CostLine {
  key: string;
  requests: number;
  costUsd: number;
  /** Share of the total known cost, 0..1. */
  share: number;
  unpricedRequests: number;
}

/** Where the money went: cost by model, provider, agent and day. */
export interface CostBreakdown {
  projectId: string | null;
  since: string | null;
  until: string | null;
  totalCostUsd: number;
  unpricedRequests: number;
  byModel: CostLine[];
  byProvider: CostLine[];
  byAgent: CostLine[];
  byDay: CostLine[];
}
