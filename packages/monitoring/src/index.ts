/** @conduit/monitoring: usage and cost tracking, Prometheus metrics, health. @module */
/** Re-exported for the meta-package's `./monitoring` subpath (kept from the seed). */
export type { RoutingDecision } from '@conduit/core';
export type {
  AgentUsage,
  CostBreakdown,
  CostLine,
  DayUsage,
  LatencySummary,
  ModelUsage,
  OutcomeUsage,
  ProjectUsage,
  ProviderUsage,
  RequestOutcome,
  TimeRange,
  UsageAggregate,
  UsageQuery,
  UsageRecord,
  UsageStats,
} from './usage/usage-types.js';
export type {
  UsageBreakdown,
  UsageBreakdownDimension,
  UsageBreakdownEntry,
  UsageSeries,
  UsageSeriesPoint,
} from './usage/usage-series-types.js';
export { usageBreakdownDimensions } from './storage/usage-series-query.js';
export { buildUsageRecord, isErrorOutcome } from './usage/build-usage-record.js';
export { toCostBreakdown, unattributedKey } from './usage/cost-breakdown.js';
export { parseUsageQuery, validateUsageQuery } from './usage/usage-query.js';
export {
  UsageTracker,
  type UsageTrackerHealth,
  type UsageTrackerOptions,
} from './usage/usage-tracker.js';
export {
  createUsageTracker,
  type CreateUsageTrackerOptions,
} from './usage/create-usage-tracker.js';
export {
  describeError,
  type ListRecordsOptions,
  type UsageStore,
  type UsageStoreKind,
  UsageStorageError,
} from './storage/usage-store.js';
export {
  createUsageStore,
  type CreateUsageStoreOptions,
} from './storage/create-usage-store.js';
export {
  loadBetterSqlite3,
  SQLiteUsageStore,
  type SQLiteDriverLoader,
  type SQLiteUsageStoreOptions,
} from './storage/sqlite-usage-store.js';
export {
  PostgresUsageStore,
  type PostgresUsageStoreOptions,
} from './storage/postgres-usage-store.js';
export { migrateSQLite, sqliteMigrations, type Migration } from './storage/sqlite-migrations.js';
export { migratePostgres, postgresMigrations } from './storage/postgres-migrations.js';
export { computeCost, type BillableTokens } from './pricing/compute-cost.js';
export { normalizeModelId, type NormalizedModelId } from './pricing/normalize-model-id.js';
export {
  modelAliases,
  PRICING_TABLE_DATE,
  pricingTable,
  type PricingTableEntry,
} from './pricing/pricing-table.js';
export {
  PriceResolver,
  type PriceResolverOptions,
  type PriceSource,
  type ResolvedPrice,
} from './pricing/price-resolver.js';
export {
  MetricsCollector,
  type CircuitState,
  type MetricsCollectorOptions,
} from './metrics/metrics-collector.js';
export {
  HealthMonitor,
  type CheckReport,
  type HealthCheck,
  type HealthCheckResult,
  type HealthMonitorOptions,
  type HealthReport,
  type HealthStatus,
  type RegisterCheckOptions,
} from './health/health-monitor.js';
export { createPluginHealthCheck, createUsageStorageCheck } from './health/health-checks.js';
