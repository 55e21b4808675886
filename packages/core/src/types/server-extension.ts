import type { ParsedConduitConfig } from '../config/config-schema.js';
import type { HealthCheck } from '../health/health-monitor.js';
import type { RoutingHooks } from './conduit-plugin.js';
import type { CallOutcome, RequestObserver } from './request-record.js';
import type { RoutingDecision } from './routing.js';

/** A circuit breaker's state (one definition: the resilience layer's and the metrics gauge's). */
export type CircuitState = 'closed' | 'half-open' | 'open';

/** What response hooks learn about a successful `/v1/messages` response. */
export interface ResponseHookInput {
  requestId: string;
  /** The router's decision (its metadata includes what plugins added, e.g. Synapse's projectId). */
  decision: RoutingDecision;
  /** Routing metadata merged with the decision's (requestId, agentId, sessionId, plugin tags). */
  metadata: Readonly<Record<string, unknown>>;
  /** The target that served (differs from the decision after a fallback). */
  servedBy: { provider: string; model: string };
  streamed: boolean;
  /**
   * Usage and stop reason. Final for JSON responses; for streams, final once the upstream stream
   * has ended (e.g. inside a `transformStream`'s `flush`).
   */
  getOutcome(): CallOutcome;
}

/**
 * Per-request response hooks (the seam `@conduit/synapse` uses for response metadata). Both run
 * after the upstream answered and before the first byte goes to the client. A hook that throws is
 * logged and skipped: it never fails the request.
 */
export interface ResponseHooks {
  /** Extra response headers (JSON and SSE). Routing headers Conduit sets cannot be overridden. */
  headers?(input: ResponseHookInput): Record<string, string> | undefined;
  /**
   * A transform over the Anthropic SSE bytes sent to the client (streams only), e.g. to add SSE
   * comments or extra events. It sees whole upstream chunks, not necessarily whole frames.
   */
  transformStream?(input: ResponseHookInput): TransformStream<Uint8Array, Uint8Array> | undefined;
}

/**
 * An HTTP route an extension adds to the server, as a web-standard handler (a Hono sub-app's
 * `fetch` works). Routes sit behind the server's edge (CORS, shutdown gate, API key; `GET /metrics`
 * is public unless `server.metricsAuth`), and a thrown `ConduitError` becomes an Anthropic error
 * with its own status.
 */
export interface ServerRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ALL';
  /** Path as Hono spells it (`/metrics`, `/api/synapse/*`). */
  path: string;
  handler(request: Request): Response | Promise<Response>;
}

/**
 * How much of one budget is spent, read without reserving or recording anything (for displays such
 * as `conduit statusline`; enforcement never reads it).
 */
export interface BudgetUse {
  /** Whose budget: `project`, `agent`, `key` (a virtual key) or `global` (the whole gateway). */
  scope: string;
  /** The project, agent or key id (`global` for the gateway). */
  id: string;
  period: 'daily' | 'monthly';
  spentUsd: number;
  limitUsd: number;
  /** `spentUsd / limitUsd`; 1 or more once the limit is reached (a limit of 0 counts as reached). */
  fraction: number;
  /** Who enforces it: `synapse` (budgets) or `fleet` (virtual-key and scope spend limits). */
  source: string;
}

/** A health check an extension contributes to `GET /health` and `GET /health/ready`. */
export interface ExtensionHealthCheck {
  name: string;
  check: HealthCheck;
  /** Readiness requires every critical check to be healthy (default true). */
  critical?: boolean;
}

/**
 * What a package plugs into the server (`@conduit/plugins`' `plugins()`, `@conduit/monitoring`'s
 * `monitoring()`, `@conduit/synapse`'s `synapse()`): routing hooks, a request observer, response
 * hooks, routes, health checks and lifecycle. The server knows nothing else about it; every part
 * is optional. The meta-package `@conduit/conduit` composes them from a config.
 */
export interface ServerExtension {
  /** Names the extension in logs. */
  name: string;
  /** Routing hooks (plugins); extensions' hooks run in the order the extensions are given. */
  hooks?: RoutingHooks;
  /** Receives one record per `/v1/messages` request. */
  observer?: RequestObserver;
  responseHooks?: ResponseHooks;
  routes?: ServerRoute[];
  healthChecks?: ExtensionHealthCheck[];
  /** A circuit breaker changed state (or was reported by the `providers` health check). */
  onCircuitStateChange?(target: { provider: string; model: string }, state: CircuitState): void;
  /**
   * The budgets that applied to a Claude Code session's last request, with their current spend
   * (`GET /api/sessions/:id`). Read-only: it must not reserve or record spend. Slow answers are
   * cut short by the server.
   */
  sessionBudgets?(sessionId: string): Promise<BudgetUse[]>;
  /** Called once before the server listens (e.g. loading plugins). */
  start?(config: ParsedConduitConfig): Promise<void>;
  /** A new config was applied (file reload or `updateConfig`). */
  applyConfig?(config: ParsedConduitConfig, previous: ParsedConduitConfig): Promise<void>;
  /** Called once at shutdown, after in-flight requests finished. Must not throw. */
  close?(): Promise<void>;
}
