/** The API's answers, as the client reads them (the server's zod schemas are the source of truth). */

export interface Latency {
  p50: number | null;
  p95: number | null;
  average: number | null;
}

export interface Aggregate {
  requests: number;
  errors: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  unpricedRequests: number;
  latencyMs: Latency;
  ttfbMs: Latency;
}

export interface SeriesPoint extends Aggregate {
  start: number;
}

export interface BreakdownEntry extends Aggregate {
  key: string | null;
}

export type Dimension = 'model' | 'provider' | 'routeReason' | 'project' | 'agent';

export interface Overview {
  range: string;
  since: string;
  until: string;
  bucketMs: number;
  totals: Aggregate;
  series: SeriesPoint[];
}

export interface RequestEvent {
  id: string;
  startedAt: number;
  routeReason: string | null;
  scenario: string | null;
  requestedModel: string | null;
  routedTo: string | null;
  servedBy: string | null;
  fellBack: boolean;
  fallbacks: string[];
  tokenCount: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  usageEstimated: boolean;
  costUsd: number | null;
  latencyMs: number;
  ttfbMs: number | null;
  upstreamMs: number | null;
  status: number;
  errorType: string | null;
  streamed: boolean;
  projectId: string | null;
  agentId: string | null;
}

export interface ConfigIssue {
  path: string;
  message: string;
  hint?: string;
  severity?: 'error' | 'warning';
}

export interface RoutingStep {
  rule: string;
  fired: boolean;
  detail: string;
  [key: string]: unknown;
}
