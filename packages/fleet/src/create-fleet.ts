import {
  type ParsedConduitConfig,
  type CredentialAuthenticator,
  type Logger,
  type ServerExtension,
  silentLogger,
} from '@conduit/core';
import { createUsageStore, PriceResolver, type UsageStore } from '@conduit/monitoring';
import { LedgerSpendSeeder } from './budgets/ledger-spend-seeder.js';
import { FleetAdmission } from './fleet-admission.js';
import { type FleetConfig, parseFleetConfig } from './fleet-config.js';
import { KeyAuthenticator } from './key-authenticator.js';
import { createKeyStore } from './keys/create-key-store.js';
import { KeyManager } from './keys/key-manager.js';
import type { KeyStore } from './keys/key-store.js';
import { FleetLimiter } from './limits/fleet-limiter.js';
import { type AdminMountPoint, mountAdminRoutes } from './routes/admin-routes.js';
import { type CircuitHost, SharedCircuits } from './cluster/shared-circuits.js';
import {
  type SharedKeyCooldown,
  type KeyPoolHost,
  SharedKeyCooldowns,
} from './cluster/shared-key-cooldowns.js';
import { type PeerRequestListener, SharedState } from './cluster/shared-state.js';

export interface CreateFleetOptions {
  logger?: Logger;
  /** `$CONDUIT_HOME`, where the default key store (`usage.db`) lives. */
  home?: string;
  /** A key store to use instead of the one the config names (the caller closes it). */
  keyStore?: KeyStore;
  env?: Record<string, string | undefined>;
}

/** The health line the fleet adds to `GET /health`. */
export interface FleetHealthReport {
  status: 'ok' | 'degraded';
  message?: string;
  details: Record<string, unknown>;
}

/**
 * What the fleet plugs into a server (see `ConduitServerOptions`). `@conduit/conduit`'s
 * `createConduit` wires it for a config with a `fleet` section; nothing else needs to.
 */
export interface Fleet {
  readonly config: FleetConfig;
  /** Issue, list, revoke and rotate virtual keys. */
  readonly keys: KeyManager;
  /** `ConduitServerOptions.authenticate`: virtual keys beside the master `APIKEY`. */
  readonly authenticate: CredentialAuthenticator;
  /** `ConduitServerOptions.admission`: rate limits and budgets before the upstream call. */
  readonly admission: FleetAdmission;
  /**
   * `ConduitServerOptions.extensions` entry (core `ServerExtension`): announces opened and closed
   * circuits to the other instances, opens the key store and Redis on `start`, closes them on
   * `close`.
   */
  readonly extension: ServerExtension;
  /**
   * `ConduitServerOptions.extensions` entry (Hono-level): the `/api/fleet/*` admin API, which
   * reads the request's principal, and peers' circuit changes and key cooldowns applied to this
   * server.
   */
  readonly mount: (app: AdminMountPoint, server: CircuitHost & KeyPoolHost) => void;
  /** Announces a circuit this instance opened or closed (the extension's `onCircuitStateChange`). */
  onCircuitStateChange(target: { provider: string; model: string }, state: string): void;
  /**
   * `ConduitServerOptions.resilienceEvents.onKeyCooldown`: announces a provider key this instance
   * put in cooldown (429/401), so the other instances skip it too.
   */
  onKeyCooldown(event: SharedKeyCooldown): void;
  /** Calls `listener` with each cooldown a peer announced and this instance applied. */
  onPeerKeyCooldown(listener: (cooldown: SharedKeyCooldown) => void): void;
  /**
   * Live views across the fleet (needs Redis; no-ops without it): `publish` sends one finished
   * request's summary to the other instances, `onPeer` receives theirs. The fleet carries the
   * summary as it is given: the caller sends no bodies and no secrets (the UI's `RequestEvent`).
   */
  readonly liveRequests: {
    readonly shared: boolean;
    publish(summary: Record<string, unknown>): void;
    onPeer(listener: PeerRequestListener): void;
  };
  /** `ConduitServerOptions.healthReporters` entry. */
  readonly healthReporter: { name: string; report(): FleetHealthReport };
  /** Waits briefly for Redis (when configured) and opens the key store. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Creates the fleet features for a config: virtual keys (in `fleet.keys.storage`, default the
 * ledger's database), rate limits and budgets per key, project, agent and gateway, and — with
 * `fleet.redis` or `REDIS_URL` — counters, revocations, circuit state, provider-key cooldowns
 * and live request summaries shared by every instance.
 *
 * @example
 * const fleet = createFleet(config, { logger });
 * const server = createConduitServer(config, {
 *   authenticate: fleet.authenticate, admission: fleet.admission,
 *   extensions: [fleet.extension, fleet.mount], healthReporters: [fleet.healthReporter],
 * });
 */
export function createFleet(config: ParsedConduitConfig, options: CreateFleetOptions = {}): Fleet {
  const logger = options.logger ?? silentLogger;
  const fleetConfig = parseFleetConfig(config, options.env);
  const store =
    options.keyStore ??
    createKeyStore(fleetConfig.keys.storage ?? config.usage.storage, options.home);
  const shared = fleetConfig.redis
    ? new SharedState(fleetConfig.redis, fleetConfig.redisPrefix, logger)
    : undefined;
  const authenticator = new KeyAuthenticator(store, {
    cacheTtlMs: fleetConfig.keys.cacheTtlMs,
    logger,
  });
  const keys = new KeyManager(store, async id => {
    authenticator.invalidate(id);
    await shared?.publish({ type: 'key-changed', id });
  });
  shared?.onEvent(event => {
    if (event.type === 'key-changed') authenticator.invalidate(event.id);
  });
  let ledger: UsageStore | undefined;
  const seeder = new LedgerSpendSeeder(() => {
    if (!config.usage.enabled) return undefined;
    ledger ??= createUsageStore(config.usage.storage, { home: options.home, logger });
    return ledger;
  }, logger);
  const limiter = new FleetLimiter({ shared, failMode: fleetConfig.failMode, logger, seeder });
  const admission = new FleetAdmission({
    getConfig: () => fleetConfig,
    limiter,
    authenticator,
    prices: new PriceResolver({ overrides: config.usage.pricing, logger }),
    logger,
  });
  const circuits = shared && fleetConfig.circuits.shared ? new SharedCircuits(shared) : undefined;
  const keyCooldowns =
    shared && fleetConfig.keyCooldowns.shared ? new SharedKeyCooldowns(shared) : undefined;
  const ownsStore = !options.keyStore;
  let started: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  const onCircuitStateChange = (target: { provider: string; model: string }, state: string) =>
    circuits?.onCircuitStateChange(target, state);

  const fleet: Fleet = {
    config: fleetConfig,
    keys,
    authenticate: authenticator.authenticate,
    admission,
    extension: {
      name: 'fleet',
      onCircuitStateChange,
      sessionBudgets: sessionId => admission.readSessionBudgets(sessionId),
      start: () => fleet.start(),
      close: () =>
        fleet.close().catch(error => {
          logger.error('fleet: closing failed', {
            message: error instanceof Error ? error.message : String(error),
          });
        }),
    },
    mount: (app, server) => {
      mountAdminRoutes(app, keys);
      circuits?.attach(server);
      keyCooldowns?.attach(server);
    },
    onCircuitStateChange,
    onKeyCooldown: event => keyCooldowns?.onKeyCooldown(event),
    onPeerKeyCooldown: listener => keyCooldowns?.onPeerCooldown(listener),
    liveRequests: {
      shared: shared !== undefined,
      publish: summary => shared?.publishRequest(summary),
      onPeer: listener => shared?.onPeerRequest(listener),
    },
    healthReporter: {
      name: 'fleet',
      report: () => {
        const backlog = limiter.backlog;
        if (!shared) {
          return {
            status: 'ok',
            details: { sharedState: 'none (single instance)', keys: store.kind },
          };
        }
        const status = shared.status();
        const peers = {
          circuits: circuits?.peerChangesApplied ?? null,
          keyCooldowns: keyCooldowns?.peerCooldownsApplied ?? null,
        };
        return status.connected
          ? { status: 'ok', details: { sharedState: 'redis', redis: status, backlog, peers } }
          : {
              status: 'degraded',
              message: `Redis (${status.location}) is unreachable since ${status.downSince}: ${
                fleetConfig.failMode === 'open'
                  ? 'serving under per-instance limits'
                  : 'refusing rate-limited requests (failMode closed)'
              }`,
              details: { sharedState: 'redis', redis: status, backlog, peers },
            };
      },
    },
    // Once each: the server's lifecycle calls them, and so may the code that created the fleet.
    start() {
      started ??= (async () => {
        await store.init().catch(error =>
          logger.error('fleet: the key store cannot be opened', {
            location: store.location,
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        if (shared && !(await shared.ready(2000))) {
          logger.warn('fleet: Redis not reachable at start; serving under local limits', {
            redis: shared.location,
          });
        }
      })();
      return started;
    },
    close() {
      closed ??= (async () => {
        await shared?.close();
        await ledger?.close().catch(() => undefined);
        if (ownsStore) await store.close();
      })();
      return closed;
    },
  };
  return fleet;
}
