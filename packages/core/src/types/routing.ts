/**
 * Routing types: what the router is given and what it decides.
 * @module
 */
import type { MessagesRequest } from './anthropic-messages.js';

/** The scenarios of CCR's `Router` object (plus `image`), used for fallback chains and metrics. */
export type RouteScenario =
  | 'default'
  | 'background'
  | 'think'
  | 'longContext'
  | 'webSearch'
  | 'image';

/**
 * Why a decision was made. Built-in reasons are the scenario names plus `explicit` (the request named
 * `provider,model`) and `subagent` (`<CCR-SUBAGENT-MODEL>` tag); rules and plugins use prefixed reasons:
 * `rule:<name>`, `plugin:<name>`, `custom-router` (CCR's `CUSTOM_ROUTER_PATH`).
 */
export type RouteReason =
  | RouteScenario
  | 'explicit'
  | 'subagent'
  | 'custom-router'
  | `rule:${string}`
  | `plugin:${string}`
  | (string & {});

/**
 * Everything the router may look at for one request: an Anthropic Messages `request` (what the
 * server routes), or the seed plan's shape — `tokenCount`, `model`, `message`, `metadata` — for
 * programmatic routing without a request body. Both may be combined.
 */
export interface RoutingContext {
  /**
   * The Anthropic Messages request body (the router may strip a `<CCR-SUBAGENT-MODEL>` tag from it).
   * When absent, the router builds one from `model` and `message`.
   */
  request?: MessagesRequest;
  /** Token count of the request; when absent the router counts `message` (or the request). */
  tokenCount?: number;
  /**
   * The requested model (seed shape): `provider,model` routes explicitly, a Claude Haiku model is a
   * background request. Defaults to `request.model`; rules on `model` read it.
   */
  model?: string;
  /**
   * The user's message text (seed shape). Defaults to the text of the request's last user message;
   * rules on `message` read it.
   */
  message?: string;
  /** Lower-cased inbound HTTP headers, when routing a server request. */
  headers?: Record<string, string>;
  /**
   * Free-form routing metadata: `projectId`, `agentId`, `agentType`, `sessionId`, tags from plugins.
   * Custom rules can match on `metadata.<key>`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the seed plan's `Record<string, any>`, so plugins can read fields without casts.
  metadata?: Record<string, any>;
  /** Claude Code session id (`x-claude-code-session-id` or `metadata.user_id`). */
  sessionId?: string;
}

/**
 * A context as the router hands it to plugins and rules: `request` is always set (built from
 * `model` and `message` for a seed-shaped context).
 */
export interface RequestRoutingContext extends RoutingContext {
  request: MessagesRequest;
}

/** The router's answer. */
export interface RoutingDecision {
  /** Provider name as configured in `Providers[].name`. */
  provider: string;
  /** Model id sent upstream. */
  model: string;
  /** The rule that fired (see {@link RouteReason}). */
  reason: RouteReason;
  /** Scenario used to pick a fallback chain. */
  scenario: RouteScenario;
  /** 0..1: 1 for explicit/rule matches, lower for heuristics and defaults. */
  confidence: number;
  /** Token count used for the decision. */
  tokenCount: number;
  /** Ordered `provider,model` alternatives to try when the primary target fails. */
  fallbacks: string[];
  /** Extra data (routing metadata, plugin annotations). */
  // biome-ignore lint/suspicious/noExplicitAny: the seed plan's `Record<string, any>`.
  metadata: Record<string, any>;
}

/** Comparison operators for custom rules. */
export type RuleOperator = 'gt' | 'lt' | 'gte' | 'lte' | 'eq' | 'neq' | 'contains' | 'matches';

/** One condition of a custom routing rule. */
export interface RuleCondition {
  /** `tokenCount`, `model`, `message` (the last user message text), or `metadata.<key>` / `header.<name>`. */
  field: string;
  operator: RuleOperator;
  value: string | number | boolean;
}

/** A custom routing rule (`Router.customRules`). Highest `priority` is evaluated first. */
export interface RoutingRule {
  /** The seed plan's rule identifier; stands in for `name` when `name` is omitted. */
  id?: string;
  name: string;
  /** `provider,model` to route to when every condition matches (or `target`, its alias). */
  route?: string;
  /** Alias of `route` (the seed plan's spelling). */
  target?: string;
  conditions: RuleCondition[];
  priority?: number;
  enabled?: boolean;
  /** `all` (default): every condition must match; `any`: one is enough. */
  match?: 'all' | 'any';
}

/** A parsed `provider,model` reference. */
export interface RouteTarget {
  provider: string;
  model: string;
}
