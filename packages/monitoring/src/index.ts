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
export {
  buildUsageRecord,
  isErrorOutcome,
  usageRecordFromRequest,
} from './usage/build-usage-record.js';
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
export { MetricsCollector, type MetricsCollectorOptions } from './metrics/metrics-collector.js';
/** Moved to `@conduit/core` (the server runs health checks without this package); kept here. */
export {
  HealthMonitor,
  type CheckReport,
  type CircuitState,
  type HealthCheck,
  type HealthCheckResult,
  type HealthMonitorOptions,
  type HealthReport,
  type HealthStatus,
  type RegisterCheckOptions,
} from '@conduit/core';
export { createPluginHealthCheck, createUsageStorageCheck } from './health/health-checks.js';
export {
  monitoring,
  type Monitoring,
  type MonitoringOptions,
} from './server/create-monitoring.js';
export { createMonitoringObserver } from './server/monitoring-observer.js';
export { createMetricsRoute } from './server/metrics-route.js';
export { createUsageRoute } from './server/usage-route.js';
export { UsageUnavailableError } from './server/usage-unavailable-error.js';
