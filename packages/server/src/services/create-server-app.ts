import type {
  HealthReport,
  Logger,
  ParsedConduitConfig,
  RequestObserver,
  SessionMemory,
  TokenCounter,
} from '@conduit/core';
import type { Hono } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { readServerSettings } from '../config/server-settings.js';
import { createConduitApp } from '../create-app.js';
import type { GatewaySnapshot } from '../gateway/gateway-snapshot.js';
import type { UpstreamCall } from '../gateway/upstream-call.js';
import type { InFlightRequests } from '../lifecycle/in-flight-requests.js';
import type { EdgeSettings } from '../middleware/edge-middleware.js';
import type { ConduitHealth } from '../routes/health.js';
import type { ConduitRouterLike } from '../routes/router-like.js';
import type { CircuitStateReport } from '../resilience/circuit-breaker.js';
import { createSessionBudgetReader } from '../routes/session-budget-use.js';
import { SessionLimitMemory } from '../routes/session-limits.js';
import { createSessionObserver, createSessionRoute } from '../routes/sessions.js';
import type { ConduitServerOptions } from '../server-options.js';
import type { ExtensionHost } from './extension-host.js';
import { createRequestId } from './request-id.js';

/** What `ConduitServer` hands over to build its Hono app. */
export interface ServerAppParts {
  options: ConduitServerOptions;
  logger: Logger;
  tokenCounter: TokenCounter;
  router: ConduitRouterLike;
  upstreamCall: UpstreamCall;
  services: ExtensionHost;
  inFlight: InFlightRequests;
  startedAt: number;
  getSnapshot(): GatewaySnapshot;
  isDraining(): boolean;
  getHealth(): ConduitHealth;
  runHealthChecks(): Promise<HealthReport>;
  getSecrets(): readonly string[];
  /** The listening address, once started (for the DNS rebinding check). */
  getBoundHost(): string | undefined;
  /** Per-session memory (last route, totals, previous turn's usage for the router). */
  sessions: SessionMemory;
  getCircuitStates(): CircuitStateReport[];
}

/** The server's Hono app: routes, edge middleware, extensions' routes and observers. */
export function createServerApp(parts: ServerAppParts): Hono<ConduitEnv> {
  const { options, services } = parts;
  const sessionLimits = new SessionLimitMemory();
  const readBudgetUse = createSessionBudgetReader(
    (options.extensions ?? []).filter(extension => typeof extension === 'object'),
  );
  return createConduitApp({
    getSnapshot: parts.getSnapshot,
    router: parts.router,
    upstreamCall: parts.upstreamCall,
    observer: chainObservers(
      createSessionObserver(parts.sessions, sessionLimits),
      services.observer,
    ),
    logger: parts.logger,
    now: options.now ?? (() => performance.now()),
    createRequestId,
    getTokenCounter: () => parts.tokenCounter,
    getHealth: parts.getHealth,
    getBodyLimit: () => parts.getSnapshot().config.server.bodyLimit,
    modelsCreatedAt: new Date(parts.startedAt).toISOString(),
    inFlight: parts.inFlight,
    getSecrets: parts.getSecrets,
    responseHooks: services.responseHooks,
    admission: options.admission,
    edge: {
      authenticate: options.authenticate,
      getSettings: edgeSettingsOf(() => parts.getSnapshot().config),
      isDraining: parts.isDraining,
      isSelfAuthenticated: options.selfAuthenticatedPaths,
      getBoundHost: parts.getBoundHost,
    },
    runHealthChecks: parts.runHealthChecks,
    routes: [
      createSessionRoute({
        sessions: parts.sessions,
        getCircuitStates: parts.getCircuitStates,
        getHealthChecks: () => services.health.getStatus().checks,
        limits: sessionLimits,
        ...(readBudgetUse ? { readBudgetUse } : {}),
      }),
      ...(options.extensions ?? []).flatMap(extension =>
        typeof extension === 'object' ? (extension.routes ?? []) : [],
      ),
    ],
  });
}

/**
 * The edge settings of the current config, read again only when the config changed: the edge
 * asks for them several times per request (CORS, Host check, API key).
 */
function edgeSettingsOf(getConfig: () => ParsedConduitConfig): () => EdgeSettings {
  let readFrom: ParsedConduitConfig | undefined;
  let settings: EdgeSettings | undefined;
  return () => {
    const config = getConfig();
    if (config !== readFrom || !settings) {
      const server = readServerSettings(config);
      settings = {
        apiKey: config.APIKEY || undefined,
        cors: config.server.cors,
        metricsAuth: server.metricsAuth,
        publicHealth: server.publicHealth,
      };
      readFrom = config;
    }
    return settings;
  };
}

/** Session memory first (cheap, never throws), then the extensions' observers. */
function chainObservers(first: RequestObserver, second: RequestObserver): RequestObserver {
  return {
    onRequestComplete(record) {
      first.onRequestComplete(record);
      return second.onRequestComplete(record);
    },
  };
}
