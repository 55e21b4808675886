import type { ConfigAnalysisOptions } from '../config/analyze-config.js';
import { asParsedConfig } from '../config/as-parsed-config.js';
import type { ParsedConduitConfig, ConduitConfigInput } from '../config/config-schema.js';
import { parseConfig } from '../config/parse-config.js';
import { createProviderIndex, type ProviderIndex } from '../config/provider-index.js';
import { checkConfigSemantics } from '../config/semantic-checks.js';
import { ConduitError } from '../errors/conduit-error.js';
import { ConfigError } from '../errors/config-error.js';
import { type TokenCounter, getDefaultTokenCounter } from '../token-counter/token-counter.js';
import type { RoutingHooks } from '../types/conduit-plugin.js';
import { type Logger, silentLogger } from '../types/logger.js';
import type { RequestRoutingContext, RoutingContext, RoutingDecision } from '../types/routing.js';
import {
  contextModel,
  isBuiltRequest,
  pluginCandidate,
  toRequestContext,
} from './context-helpers.js';
import { type CompiledRule, compileRules, evaluateRule, type RuleInputs } from './custom-rules.js';
import { noDefaultError, noProvidersError } from './no-route-errors.js';
import {
  type ResolvedRoute,
  recordResolvedRoute,
  resolveConfiguredRoute,
} from './resolved-route.js';
import { takeSubagentTag } from './request-inspection.js';
import {
  boundDecidesLongContext,
  rulesReadTokenCount,
  defineLazyTokenCount,
  withLazyTokenCount,
} from './lazy-token-count.js';
import {
  previousTurnMinimumTokens,
  type RouteCandidate,
  type RoutingStep,
  type ScenarioInputs,
  scenarioRules,
} from './scenario-rules.js';
import type { RouterOverride, RouterOverrideLookup } from './project-router-overrides.js';
import { resolveSessionId } from './session-id.js';
import type { SessionUsageLookup } from './session-memory.js';

/** Options of {@link ConduitRouter}. */
export interface ConduitRouterOptions {
  /** Plugin hooks (implemented by `PluginManager` in `@conduit/plugins`). */
  hooks?: RoutingHooks;
  /** Defaults to the process-wide {@link getDefaultTokenCounter}. */
  tokenCounter?: TokenCounter;
  logger?: Logger;
  /** The config file in use, named in "how to fix" messages. */
  configPath?: string;
  /** The previous turn's usage per session, for CCR's second long-context trigger. */
  sessionUsage?: SessionUsageLookup;
  /** CCR's project/session `Router` overrides (`createProjectRouterLookup`). */
  routerOverrides?: RouterOverrideLookup;
}

/** The result of {@link ConduitRouter.explain}. */
export interface RoutingExplanation {
  decision: RoutingDecision | null;
  /** Every rule in precedence order, whether it fired and why (or why not). */
  steps: RoutingStep[];
  /** Why no decision could be made. */
  error?: ConduitError;
}

interface RouterState {
  config: ParsedConduitConfig;
  index: ProviderIndex;
  rules: CompiledRule[];
}

/**
 * Decides which provider and model serve a request, with claude-code-router's precedence plus
 * Conduit's additions: plugin `customRouter` hooks → `Router.customRules` → explicit `provider,model`
 * in the request → longContext → `<CCR-SUBAGENT-MODEL>` tag → background → webSearch → think →
 * image → default.
 *
 * @example
 * const router = createConduitRouter({
 *   Providers: [{ name: 'anthropic', api_base_url: 'https://api.anthropic.com/v1/messages',
 *     models: ['claude-3-5-sonnet-20241022'] }],
 *   Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
 * });
 * const decision = await router.route({ request });
 * // { provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', reason: 'default', ... }
 * // The seed plan's shape works too (tokenCount is used as given; only a message is counted):
 * await router.route({ tokenCount: 70000, model: 'claude-3-5-sonnet-20241022', message: '…', metadata: {} });
 */
export class ConduitRouter {
  private state: RouterState;
  private readonly hooks?: RoutingHooks;
  private readonly tokenCounter: TokenCounter;
  private readonly logger: Logger;
  private readonly configPath?: string;
  private readonly sessionUsage?: SessionUsageLookup;
  private readonly routerOverrides?: RouterOverrideLookup;

  /**
   * Takes a parsed config, or (the seed plan's `new ConduitRouter(config)`) a config as written,
   * which is parsed here.
   * @throws ConfigError when the config is invalid or a route points at an unknown provider or model.
   */
  constructor(
    config: ParsedConduitConfig | ConduitConfigInput,
    options: ConduitRouterOptions = {},
  ) {
    this.hooks = options.hooks;
    this.tokenCounter = options.tokenCounter ?? getDefaultTokenCounter();
    this.logger = options.logger ?? silentLogger;
    this.configPath = options.configPath;
    this.sessionUsage = options.sessionUsage;
    this.routerOverrides = options.routerOverrides;
    this.state = buildState(this.parse(config), this.configPath);
  }

  /** Loads the tokenizer ahead of the first request. Safe to call more than once. */
  async initialize(): Promise<void> {
    // A counter written against the older interface may only have `warmUp`.
    if (typeof this.tokenCounter.load === 'function') await this.tokenCounter.load();
    else this.tokenCounter.warmUp();
  }

  /**
   * Replaces the config used for new decisions (in-flight ones finish with the old one).
   * @throws ConfigError, keeping the current config, when a route cannot work.
   */
  updateConfig(config: ParsedConduitConfig | ConduitConfigInput): void {
    this.state = buildState(this.parse(config), this.configPath);
  }

  private parse(config: ParsedConduitConfig | ConduitConfigInput): ParsedConduitConfig {
    return asParsedConfig(config, this.configPath ? { source: this.configPath } : {});
  }

  getConfig(): ParsedConduitConfig {
    return this.state.config;
  }

  /**
   * Whether routing may change the request it is given (plugin `beforeRouting` hooks are active):
   * then the request the caller forwards must be `context.request` after {@link route}, re-serialized.
   */
  mayRewriteRequests(): boolean {
    if (!this.hooks) return false;
    return this.hooks.rewritesRequests?.() ?? true;
  }

  /**
   * Routes one request. May remove a `<CCR-SUBAGENT-MODEL>` tag from `context.request`, and sets
   * `context.request` to the request as `beforeRouting` hooks left it (the one to forward upstream).
   * @throws NoRouteError (`no-providers`, `no-default`, `unknown-provider`, `unknown-model`).
   */
  async route(context: RoutingContext): Promise<RoutingDecision> {
    return this.run(context, undefined);
  }

  /** Like {@link route}, but reports every rule and returns the error instead of throwing it. */
  async explain(context: RoutingContext): Promise<RoutingExplanation> {
    const steps: RoutingStep[] = [];
    try {
      return { decision: await this.run(context, steps), steps };
    } catch (error) {
      if (ConduitError.isInstance(error)) return { decision: null, steps, error };
      throw error;
    }
  }

  private async run(
    input: RoutingContext,
    steps: RoutingStep[] | undefined,
  ): Promise<RoutingDecision> {
    const state = this.state;
    if (state.config.Providers.length === 0) throw noProvidersError(this.configPath);
    let context = toRequestContext(input);
    // Hooks with nothing to run (no active plugin) are skipped: each would hand back what it got.
    const hooks = this.hooks?.isIdle?.() === true ? undefined : this.hooks;
    if (hooks) {
      context = toRequestContext(await hooks.beforeRouting(context));
      // The request the hooks left is the one to forward upstream (a seed-shaped context has none).
      if (input && !isBuiltRequest(context.request) && context.request !== input.request) {
        input.request = context.request;
      }
    }
    const subagentRoute = takeSubagentTag(context.request);
    const sessionId = resolveSessionId(context);
    const override =
      sessionId === undefined ? undefined : await this.routerOverrides?.find(sessionId);
    const previousContextTokens =
      sessionId === undefined ? undefined : this.sessionUsage?.previousContextTokens(sessionId);
    const routedState = override ? withRouterOverride(state, override) : state;
    const count = this.planTokenCount(routedState, context, { steps, previousContextTokens });
    let exactCount = count.exact;
    const countOnce = () => {
      exactCount ??= this.countTokens(context);
      return exactCount;
    };
    let routedContext: RequestRoutingContext = { ...context, sessionId };
    if (count.exact !== undefined) routedContext.tokenCount = count.exact;
    // Plugin hooks see the context: one that reads `tokenCount` gets the exact count, on demand.
    else if (hooks) routedContext = defineLazyTokenCount(routedContext, countOnce);

    const candidate = await this.selectCandidate(
      hooks,
      routedState,
      routedContext,
      {
        tokenCount: count.exact ?? count.upperBound,
        subagentRoute,
        previousContextTokens,
        routerSource: override?.source,
      },
      steps,
    );
    const target = this.resolve(state, candidate);
    const fields: Omit<RoutingDecision, 'tokenCount'> = {
      provider: target.provider.name,
      model: target.model,
      reason: candidate.reason,
      scenario: candidate.scenario,
      confidence: candidate.confidence,
      fallbacks: [...(state.config.fallback?.[candidate.scenario] ?? [])],
      metadata: {
        ...context.metadata,
        ...(sessionId === undefined ? {} : { sessionId }),
        ...(override ? { routerOverride: override.source } : {}),
        ...candidate.metadata,
      },
    };
    let decision: RoutingDecision =
      count.exact === undefined
        ? withLazyTokenCount(fields, countOnce)
        : { ...fields, tokenCount: count.exact };
    // The gateway reads this instead of resolving the target again (unless a hook replaces it).
    recordResolvedRoute(decision, target);
    if (hooks) decision = await hooks.afterRouting(decision, routedContext);
    this.logger.debug('route decided', {
      provider: decision.provider,
      model: decision.model,
      reason: decision.reason,
      ...(count.exact === undefined
        ? { tokenCountAtMost: count.upperBound }
        : { tokenCount: count.exact }),
    });
    return decision;
  }

  /**
   * The exact count when the counter is the caller's, when a rule or `explain()` can see it or
   * when the long-context rule needs it; otherwise an upper bound that decides the long-context
   * rule (see lazy-token-count.ts) and no count at all until `decision.tokenCount` (or, for plugin
   * hooks, the context's `tokenCount`) is read.
   */
  private planTokenCount(
    state: RouterState,
    context: RequestRoutingContext,
    options: { steps: RoutingStep[] | undefined; previousContextTokens: number | undefined },
  ): { exact?: number; upperBound: number } {
    const exact = () => ({ exact: this.countTokens(context), upperBound: 0 });
    // A counter the caller passed is asked on every route, as it always was: it need not be
    // cl100k_base, so the byte bound may not hold for it. The process-wide one is asked lazily.
    if (this.tokenCounter !== getDefaultTokenCounter()) return exact();
    if (options.steps || rulesReadTokenCount(state.rules)) return exact();
    const given = context.tokenCount;
    if (typeof given === 'number' && Number.isFinite(given) && given >= 0) return exact();
    const { longContext, longContextThreshold } = state.config.Router;
    const bound = boundDecidesLongContext({
      longContextRoute: longContext,
      threshold: longContextThreshold,
      previousContextTokens: options.previousContextTokens,
      previousTurnMinimumTokens,
      request: isBuiltRequest(context.request) ? (context.message ?? '') : context.request,
    });
    return bound.decided ? { upperBound: bound.upperBound ?? 0 } : exact();
  }

  /** `tokenCount` when given, else the seed context's `message`, else the whole request. */
  private countTokens(context: RequestRoutingContext): number {
    const given = context.tokenCount;
    if (typeof given === 'number' && Number.isFinite(given) && given >= 0) return given;
    if (isBuiltRequest(context.request)) return this.tokenCounter.countText(context.message ?? '');
    return this.tokenCounter.countRequest(context.request);
  }

  private async selectCandidate(
    hooks: RoutingHooks | undefined,
    state: RouterState,
    context: RequestRoutingContext,
    inputs: Pick<
      ScenarioInputs,
      'tokenCount' | 'subagentRoute' | 'previousContextTokens' | 'routerSource'
    >,
    steps: RoutingStep[] | undefined,
  ): Promise<RouteCandidate> {
    const { tokenCount } = inputs;
    // Only `explain()` collects steps: routing a request formats none of these sentences (an
    // optional call does not evaluate its arguments).
    const record = steps ? createStepRecorder(state, steps) : undefined;

    if (hooks) {
      const answer = await hooks.customRoute(context);
      if (answer) {
        const candidate = pluginCandidate(answer.pluginName, answer.result);
        record?.('plugins', true, `plugin "${answer.pluginName}" chose "${candidate.route}"`);
        return candidate;
      }
      record?.('plugins', false, 'no plugin customRouter answered');
    } else if (this.hooks) record?.('plugins', false, 'no plugin customRouter answered');
    else record?.('plugins', false, 'no plugin hooks');

    const ruleInputs: RuleInputs = { context, tokenCount, sessionId: context.sessionId };
    for (const compiled of state.rules) {
      const { rule } = compiled;
      if (!rule.enabled) {
        record?.(`rule:${rule.name}`, false, 'disabled');
        continue;
      }
      const { matched, detail } = evaluateRule(compiled, ruleInputs);
      record?.(`rule:${rule.name}`, matched, `priority ${rule.priority}, ${detail}`);
      if (matched) {
        return {
          route: rule.route,
          reason: `rule:${rule.name}`,
          ...(rule.id === undefined ? {} : { metadata: { ruleId: rule.id } }),
          scenario: 'default',
          confidence: 1,
          origin: `Router.customRules "${rule.name}"`,
        };
      }
    }

    const model = contextModel(context);
    if (model.includes(',')) {
      record?.('explicit', true, `the request model "${model}" names a provider`);
      return {
        route: model,
        reason: 'explicit',
        scenario: 'default',
        confidence: 1,
        origin: 'The request model',
      };
    }
    record?.('explicit', false, `the request model "${model}" has no "provider," prefix`);

    const scenarioInputs: ScenarioInputs = { config: state.config, context, ...inputs };
    for (const rule of scenarioRules) {
      const candidate = rule.decide(scenarioInputs);
      record?.(rule.name, candidate !== undefined, rule.describe(scenarioInputs));
      if (candidate) return candidate;
    }

    const fallbackRoute = state.config.Router.default;
    const origin = inputs.routerSource
      ? `Router.default of ${inputs.routerSource}`
      : 'Router.default';
    if (fallbackRoute === undefined) {
      record?.('default', false, `${origin} is not set`);
      throw noDefaultError(inputs.routerSource ?? this.configPath, state.index.choices);
    }
    record?.('default', true, `${origin} is "${fallbackRoute}"`);
    return {
      route: fallbackRoute,
      reason: 'default',
      scenario: 'default',
      confidence: 0.5,
      origin,
    };
  }

  private resolve(state: RouterState, candidate: RouteCandidate): ResolvedRoute {
    return resolveConfiguredRoute(state.index, candidate.route, candidate.origin);
  }
}

/**
 * Records `explain()`'s steps: each rule's verdict, then, once one fires, every later rule as not
 * evaluated.
 */
function createStepRecorder(
  state: RouterState,
  steps: RoutingStep[],
): (rule: string, fired: boolean, detail: string) => void {
  const pending: string[] = [
    'plugins',
    ...state.rules.map(compiled => `rule:${compiled.rule.name}`),
    'explicit',
    ...scenarioRules.map(rule => rule.name),
    'default',
  ];
  let position = 0;
  return (rule, fired, detail) => {
    position++;
    steps.push({ rule, fired, detail });
    if (fired) {
      for (const skipped of pending.slice(position)) {
        steps.push({ rule: skipped, fired: false, detail: `not evaluated: ${rule} fired first` });
      }
    }
  };
}

/**
 * Parses `config` (see `parseConfig`) and returns a router for it.
 * @throws ConfigError when the config cannot work.
 */
export function createConduitRouter(
  config: ConduitConfigInput,
  options: ConduitRouterOptions & Pick<ConfigAnalysisOptions, 'env' | 'presets'> = {},
): ConduitRouter {
  const parsed = parseConfig(config, {
    env: options.env,
    presets: options.presets,
    source: options.configPath,
    // Routing never sends a key: an unset `$VAR` in one is the server's problem, not the router's.
    unresolvedSecrets: 'warning',
  });
  return new ConduitRouter(parsed, options);
}

function buildState(config: ParsedConduitConfig, configPath: string | undefined): RouterState {
  const errors = checkConfigSemantics(config, { unresolvedSecrets: 'warning' }).filter(
    issue => issue.severity !== 'warning',
  );
  if (errors.length > 0) throw new ConfigError({ issues: errors, source: configPath });
  return {
    config,
    index: createProviderIndex(config.Providers),
    rules: compileRules(config.Router),
  };
}

/**
 * The state with a project/session `Router` in force: like CCR, it replaces the routes of
 * longContext, webSearch, think and default (keys it leaves out are unset, as in CCR), while
 * background, image, custom rules and `thinkOnAdaptive` stay global.
 */
function withRouterOverride(state: RouterState, override: RouterOverride): RouterState {
  const global = state.config.Router;
  const local = override.router;
  return {
    ...state,
    config: {
      ...state.config,
      Router: {
        ...global,
        default: local.default,
        longContext: local.longContext,
        longContextThreshold: local.longContextThreshold,
        webSearch: local.webSearch,
        think: local.think,
      },
    },
  };
}
