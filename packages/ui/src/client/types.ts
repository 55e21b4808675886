/** The API's answers, as the client reads them: the server's own types (type-only imports). */
import type { UsageAggregate, UsageBreakdownEntry, UsageSeriesPoint } from '@conduit/monitoring';

export type { ConfigIssue } from '@conduit/core';
export type { RequestEvent } from '../server/api-schemas.js';
export type { BudgetLine } from '../server/routes/budgets-routes.js';

export type Aggregate = UsageAggregate;
export type Latency = UsageAggregate['latencyMs'];
export type SeriesPoint = UsageSeriesPoint;
export type BreakdownEntry = UsageBreakdownEntry;

export type Dimension = 'model' | 'provider' | 'routeReason' | 'project' | 'agent';

export interface Overview {
  range: string;
  since: string;
  until: string;
  bucketMs: number;
  totals: Aggregate;
  series: SeriesPoint[];
}

export interface RoutingStep {
  rule: string;
  fired: boolean;
  detail: string;
  [key: string]: unknown;
}
