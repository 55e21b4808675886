/**
 * The authentication and admission seams of the server: how a package such as `@conduit/fleet`
 * identifies callers (virtual keys) and admits or refuses requests (rate limits, budgets) without
 * the server knowing anything about keys or limits.
 * @module
 */
import type { MessagesRequest } from './anthropic-messages.js';
import type { RoutingDecision } from './routing.js';

/** Who made a request, as an {@link CredentialAuthenticator} established it. */
export interface AuthenticatedPrincipal {
  /** `master` for the config's `APIKEY`; anything else names the authenticator's kind of caller. */
  kind: string;
  /** A stable, non-secret id (a virtual key's id); never the credential itself. */
  id: string;
  /**
   * Routing metadata that wins over what the client sent (e.g. `{ apiKeyId, projectId, agentId }`
   * for a key bound to a project), so the ledger and budgets see the bound values.
   */
  metadata?: Record<string, unknown>;
  /**
   * Routing headers that replace the client's (e.g. `x-synapse-project-id` for a bound key), so a
   * client cannot change the identity its budgets are kept under.
   */
  headers?: Record<string, string>;
}

/** The request being authenticated. */
export interface AuthenticationRequest {
  method: string;
  path: string;
}

/**
 * Checks a credential that is not the master `APIKEY`. Returns the principal it belongs to,
 * `undefined` when the credential is not one of its own (the server then applies `APIKEY` as
 * usual), or throws a `RequestRefusedError` (401 for a revoked key) to refuse outright.
 */
export type CredentialAuthenticator = (
  credential: string,
  request: AuthenticationRequest,
) => Promise<AuthenticatedPrincipal | undefined>;

/** What an admission hook learns about a routed request before the upstream call. */
export interface AdmissionInput {
  requestId: string;
  /** Who sent it; `undefined` on a gateway without `APIKEY` when no key was recognised. */
  principal: AuthenticatedPrincipal | undefined;
  request: MessagesRequest;
  decision: RoutingDecision;
  /** Routing metadata (requestId, session, agent and project ids, plugin tags). */
  metadata: Readonly<Record<string, unknown>>;
  /** The router's input-token estimate for the request. */
  estimatedInputTokens: number;
}

/** The outcome of a finished request, handed back to the admission that let it in. */
export interface AdmissionSettlement {
  status: number;
  /** Upstream usage (or Conduit's estimate); null when nothing was served. */
  usage: {
    input_tokens: number;
    output_tokens: number;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
  } | null;
  /** The target that served, for pricing. */
  servedBy: { provider: string; model: string } | null;
  errorType: string | null;
}

/** An admitted request's lease: response headers to add and what to do when it ends. */
export interface AdmissionTicket {
  /** Response headers (`anthropic-ratelimit-*`) for the success response. */
  headers?: Record<string, string>;
  /** Called exactly once when the request ends, whichever way (releases concurrency, settles). */
  settle(settlement: AdmissionSettlement): void;
}

/**
 * Admits or refuses a routed request before the upstream call. Refuse by throwing a
 * `RequestRefusedError` (429 with `retry-after` for a limit). A hook that fails otherwise fails
 * the request with a 500, so implementations decide their own fail-open policy.
 */
export interface RequestAdmission {
  admit(input: AdmissionInput): Promise<AdmissionTicket | undefined>;
}
