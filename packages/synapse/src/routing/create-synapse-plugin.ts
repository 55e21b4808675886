/**
 * The Synapse plugin: request context → routing metadata, project/agent model configs, the
 * agent-type mapping, and budgets.
 * @module
 */
import {
  type ParsedConduitConfig,
  type ConduitPlugin,
  type CustomRouteResult,
  type Logger,
  type MessagesRequest,
  type PluginConfigValidation,
  type PluginHealth,
  type PluginLoadContext,
  parseConfig,
  type RequestRoutingContext,
  type RoutingDecision,
  resolveSessionId,
  silentLogger,
} from '@conduit/core';
import type { BudgetGuard } from '../budgets/budget-guard.js';
import { resolveApplicableBudgets } from '../budgets/budget-limits.js';
import type { SessionBudgets } from '../budgets/session-budgets.js';
import {
  parseSynapseSettings,
  type SynapseSettings,
  type SynapseSettingsInput,
} from '../config/synapse-settings.js';
import { ContextExtractor } from '../context/context-extractor.js';
import type { SynapseContext } from '../context/synapse-context.js';
import { BudgetExceededError, type BudgetViolation } from '../errors/budget-exceeded-error.js';
import { RouteResolver } from './route-resolver.js';
import {
  applyRouteOverrides,
  selectForcedModel,
  synapseRouteReasons,
} from './synapse-route-overrides.js';
import { validateContextRoutes, validateSynapseRoutes } from './validate-synapse-routes.js';

/** The plugin's name in `plugins[]` and in `plugin:synapse` reasons. */
export const SYNAPSE_PLUGIN_NAME = 'synapse';

/** What the plugin reports about each routed request (for response metadata). */
export interface SynapseDecisionRecord {
  /** The server's request id (`metadata.requestId`), when routing a server request. */
  requestId: string | undefined;
  context: SynapseContext;
  decision: RoutingDecision;
  /** Set when the request went over a budget and was downgraded. */
  budget?: BudgetViolation;
}

/** Options of {@link createSynapsePlugin}. */
export interface SynapsePluginOptions {
  /**
   * The Conduit config. When absent, the plugin reads the config handed to `onLoad` (the
   * `PluginManager`'s `conduitConfig`).
   */
  config?: ParsedConduitConfig;
  /** Settings laid over `config.synapse` (and over the plugin entry's own `config`). */
  settings?: SynapseSettingsInput;
  /** A context every request starts from (e.g. the server's own `SYNAPSE_*` environment). */
  baseContext?: SynapseContext;
  /** Enforces budgets; without it budgets are not checked (see `createSynapseServer`). */
  budgetGuard?: BudgetGuard;
  /** Remembers each Claude Code session's budgets (for `GET /api/sessions/:id`). */
  sessionBudgets?: SessionBudgets;
  logger?: Logger;
  /** Called with every final decision. */
  onDecision?(record: SynapseDecisionRecord): void;
}

/** The Synapse plugin: a {@link ConduitPlugin} plus a few methods for its hosts. */
export interface SynapsePlugin extends ConduitPlugin {
  readonly name: typeof SYNAPSE_PLUGIN_NAME;
  /** Gives one request a context (library mode); it overrides headers and the base context. */
  attachContext(request: MessagesRequest, context: SynapseContext): void;
  /** Re-reads settings from a new config (on config reload). @throws ConfigError */
  configure(config: ParsedConduitConfig, entryConfig?: Record<string, unknown>): void;
  /** The settings in force. */
  getSettings(): SynapseSettings;
  /** The context resolved for a request during routing, if any. */
  getRequestContext(request: MessagesRequest): SynapseContext | undefined;
}

interface PluginState {
  config: ParsedConduitConfig;
  settings: SynapseSettings;
  resolver: RouteResolver;
}

/**
 * Creates the Synapse plugin.
 * - `beforeRouting` reads the context (base context, `x-synapse-*` headers, an attached
 *   context) and adds `projectId`, `agentId`, `agentType` and `taskType` to the routing metadata,
 *   so `Router.customRules` (`metadata.projectId`) and later plugins can use them; a malformed
 *   header rejects the request with a 400 naming it.
 * - `customRouter` applies a project's or agent's `model` config.
 * - `afterRouting` applies the agent-type mapping and project/agent `Router` overrides to
 *   scenario decisions, then budgets: over budget → 429 `rate_limit_error` or a downgrade to
 *   `synapse.downgradeRoute` (reason `budget-downgrade`).
 *
 * @example
 * ```ts
 * const plugin = createSynapsePlugin({ config });
 * const manager = new PluginManager({ conduitConfig: config });
 * await manager.loadPlugins([{ name: 'synapse', source: 'inline', module: plugin }]);
 * const router = new ConduitRouter(config, { hooks: manager });
 * ```
 */
export function createSynapsePlugin(options: SynapsePluginOptions = {}): SynapsePlugin {
  const logger = options.logger ?? silentLogger;
  const attached = new WeakMap<MessagesRequest, SynapseContext>();
  const resolved = new WeakMap<MessagesRequest, SynapseContext>();
  let state: PluginState | undefined = options.config
    ? buildState(options.config, undefined, options.settings)
    : undefined;
  let routed = 0;
  let rejected = 0;
  let downgraded = 0;

  const requireState = (): PluginState => {
    state ??= buildState(parseConfig({}), undefined, options.settings);
    return state;
  };

  const contextOf = (routing: RequestRoutingContext): SynapseContext => {
    const known = resolved.get(routing.request);
    if (known) return known;
    const context = readContext(routing, requireState());
    resolved.set(routing.request, context);
    return context;
  };

  const readContext = (routing: RequestRoutingContext, current: PluginState): SynapseContext => {
    let context: SynapseContext = options.baseContext ?? {};
    if (current.settings.contextHeaders && routing.headers) {
      const fromHeaders = ContextExtractor.fromHeaders(routing.headers);
      validateContextRoutes(fromHeaders, 'header', current.resolver);
      context = ContextExtractor.merge(context, fromHeaders);
    }
    const own = attached.get(routing.request);
    if (own) {
      validateContextRoutes(own, 'env', current.resolver);
      context = ContextExtractor.merge(context, own);
    }
    return context;
  };

  const plugin: SynapsePlugin = {
    name: SYNAPSE_PLUGIN_NAME,
    description: 'Synapse project/agent context, agent-type routing and budgets',

    validateConfig(entryConfig: Record<string, unknown>): PluginConfigValidation {
      try {
        parseSynapseSettings({ ...entryConfig, ...options.settings });
        return true;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },

    onLoad(load: PluginLoadContext) {
      const config = options.config ?? parseConfig(load.conduitConfig);
      state = buildState(config, load.config, options.settings);
      if (state.settings.budgets && !options.budgetGuard) {
        load.logger.warn(
          'synapse.budgets is set but no usage ledger is wired to the Synapse plugin: budgets are not enforced. Use createSynapseServer or SynapseIntegration.',
        );
      }
    },

    attachContext(request, context) {
      attached.set(request, context);
      resolved.delete(request);
    },

    configure(config, entryConfig) {
      state = buildState(config, entryConfig, options.settings);
    },

    getSettings: () => requireState().settings,

    getRequestContext: request => resolved.get(request),

    beforeRouting(routing) {
      const current = requireState();
      if (!current.settings.enabled) return undefined;
      const context = readContext(routing, current);
      resolved.set(routing.request, context);
      const metadata: Record<string, unknown> = { ...routing.metadata };
      if (
        context.agentId !== undefined &&
        typeof metadata.agentId === 'string' &&
        metadata.agentId !== context.agentId
      ) {
        // The server's agentId is Claude Code's subagent id; Synapse's agent is the one billed.
        metadata.claudeCodeAgentId = metadata.agentId;
      }
      for (const key of ['projectId', 'agentId', 'agentType', 'taskType'] as const) {
        if (context[key] !== undefined) metadata[key] = context[key];
      }
      if (context.tokenEstimate !== undefined)
        metadata.synapseTokenEstimate = context.tokenEstimate;
      return { ...routing, metadata };
    },

    customRouter(routing): CustomRouteResult | null {
      const current = requireState();
      if (!current.settings.enabled) return null;
      const context = contextOf(routing);
      const forced = selectForcedModel(
        context,
        current.settings,
        String(routing.request.model ?? ''),
      );
      if (!forced) return null;
      const target = current.resolver.resolve(forced.route);
      if (!target) return null;
      return { ...target, reason: forced.reason, confidence: 1 };
    },

    async afterRouting(decision, routing) {
      const current = requireState();
      if (!current.settings.enabled) return undefined;
      const context = contextOf(routing);
      let next = applyRouteOverrides({
        decision,
        context,
        settings: current.settings,
        config: current.config,
        resolver: current.resolver,
      });
      let budget: BudgetViolation | undefined;
      if (options.budgetGuard) {
        const budgets = resolveApplicableBudgets(current.settings.budgets, context);
        const sessionId = options.sessionBudgets ? resolveSessionId(routing) : undefined;
        if (sessionId !== undefined) options.sessionBudgets?.remember(sessionId, budgets);
        if (budgets.project || budgets.agent) {
          const violation = await options.budgetGuard.check(budgets);
          if (violation) {
            if (current.settings.budgetAction === 'reject') {
              rejected++;
              throw new BudgetExceededError({ violation });
            }
            budget = violation;
            next = downgrade(next, violation, current);
            downgraded++;
          }
        }
      }
      routed++;
      const requestId =
        typeof routing.metadata?.requestId === 'string' ? routing.metadata.requestId : undefined;
      options.onDecision?.({ requestId, context, decision: next, ...(budget ? { budget } : {}) });
      return next;
    },

    getHealth(): PluginHealth {
      const guardHealth = options.budgetGuard?.getHealth();
      return {
        status: guardHealth?.status === 'degraded' ? 'degraded' : 'healthy',
        message: `${routed} requests routed, ${rejected} rejected and ${downgraded} downgraded over budget`,
        details: { routed, rejected, downgraded, ...(guardHealth ? { budgets: guardHealth } : {}) },
      };
    },
  };

  function downgrade(
    decision: RoutingDecision,
    violation: BudgetViolation,
    current: PluginState,
  ): RoutingDecision {
    const route = current.settings.downgradeRoute;
    const target = route === undefined ? null : current.resolver.resolve(route);
    if (!target) {
      // validateSynapseRoutes guarantees a resolvable route; refuse rather than overspend.
      logger.error('synapse.downgradeRoute does not resolve; rejecting the request', { route });
      throw new BudgetExceededError({ violation });
    }
    return {
      ...decision,
      provider: target.provider,
      model: target.model,
      reason: synapseRouteReasons.budgetDowngrade,
      fallbacks: [],
      metadata: {
        ...decision.metadata,
        budget: violation,
        routedFrom: `${decision.provider},${decision.model}`,
      },
    };
  }

  return plugin;
}

function buildState(
  config: ParsedConduitConfig,
  entryConfig: Record<string, unknown> | undefined,
  overrides: SynapseSettingsInput | undefined,
): PluginState {
  const section = isRecord(config.synapse) ? config.synapse : {};
  const settings = parseSynapseSettings({ ...section, ...entryConfig, ...overrides });
  const resolver = new RouteResolver(config);
  validateSynapseRoutes(settings, resolver);
  return { config, settings, resolver };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
