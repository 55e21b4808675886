/**
 * @conduit/fleet: virtual keys, rate limits and budgets that hold across many gateway instances
 * (keys in SQLite or PostgreSQL, counters and events in Redis). Plugs into `@conduit/server`
 * through its `authenticate`, `admission`, `extensions` and `healthReporters` seams.
 * @module
 */
export {
  createFleet,
  type CreateFleetOptions,
  type Fleet,
  type FleetHealthReport,
} from './create-fleet.js';
export {
  fleetConfigSchema,
  parseFleetConfig,
  scopeLimitsSchema,
  usesFleet,
  type FleetConfig,
  type ScopeLimits,
} from './fleet-config.js';
export { FleetAdmission } from './fleet-admission.js';
export { KeyAuthenticator } from './key-authenticator.js';
export { createKeyStore } from './keys/create-key-store.js';
export {
  KeyManager,
  VirtualKeyError,
  type CreateKeyInput,
  type IssuedKey,
} from './keys/key-manager.js';
export type { KeyStore, NewVirtualKey } from './keys/key-store.js';
export { PostgresKeyStore } from './keys/postgres-key-store.js';
export { SQLiteKeyStore } from './keys/sqlite-key-store.js';
export {
  hashSecret,
  isKeyId,
  keyIdFromSecret,
  secretMatches,
  type VirtualKey,
  type VirtualKeyInfo,
} from './keys/virtual-key.js';
export { FleetLimiter } from './limits/fleet-limiter.js';
export {
  computeWindows,
  type AcquireRequest,
  type AcquireResult,
  type LimitBackend,
  type LimitReason,
  type LimitScope,
  type LimitWindows,
  type Settlement,
} from './limits/limit-types.js';
export { LocalLimitBackend } from './limits/local-limit-backend.js';
export { RedisLimitBackend } from './limits/redis-limit-backend.js';
export { rateLimitHeaders } from './limits/rate-limit-headers.js';
export type { AdminEnv, AdminMountPoint } from './routes/admin-routes.js';
export { SharedCircuits, type CircuitHost } from './cluster/shared-circuits.js';
export {
  SharedKeyCooldowns,
  type SharedKeyCooldown,
  type KeyPoolHost,
} from './cluster/shared-key-cooldowns.js';
export {
  SharedState,
  type FleetEvent,
  type PeerRequestListener,
  type SharedStateStatus,
} from './cluster/shared-state.js';
