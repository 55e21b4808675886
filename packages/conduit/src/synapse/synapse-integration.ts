/**
 * The library entry point for Synapse: route a Claude Code command line, record usage, read it
 * back.
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  type ConduitConfig,
  type ConduitConfigInput,
  ConduitRouter,
  ConfigError,
  getDefaultTokenCounter,
  type Logger,
  type MessagesRequest,
  parseConfig,
  type RoutingContext,
  type RoutingDecision,
  silentLogger,
  type TokenCounter,
} from '@conduit/core';
import type { TimeRange, UsageStore, UsageTracker } from '@conduit/monitoring';
import { type PluginManager, type Plugins, plugins as pluginsExtension } from '@conduit/plugins';
import { buildClaudeRequest } from '@conduit/synapse';
import { type ClaudeCommandLine, parseClaudeArgs } from '@conduit/synapse';
import { ContextExtractor, type EnvironmentVariables } from '@conduit/synapse';
import type { SynapseContext } from '@conduit/synapse';
import type { BudgetViolation } from '@conduit/synapse';
import { createSynapsePlugin, type SynapsePlugin } from '@conduit/synapse';
import { withSynapsePlugin } from '@conduit/synapse';
import { createSynapseLedger, type SynapseLedger } from '@conduit/synapse';
import { parseUsageReport, type SynapseUsageReport } from '@conduit/synapse';
import { type SynapseUsageSummary, summarizeUsage } from '@conduit/synapse';

/** Options of {@link SynapseIntegration}. */
export interface SynapseIntegrationOptions {
  /** A Conduit config (as written, or already parsed); `preset: "synapse"` is honoured. */
  config: ConduitConfigInput | ConduitConfig;
  /** Write usage here (flushed on `close`, not closed: it stays yours). */
  usageStore?: UsageStore;
  /** Use this tracker (left open on `close`). */
  usageTracker?: UsageTracker;
  /**
   * Base environment for `SYNAPSE_*`, `ANTHROPIC_MODEL`, `ANTHROPIC_DEFAULT_*_MODEL` and
   * `MAX_THINKING_TOKENS` (default `process.env`); the `env` of each call is laid over it.
   */
  env?: EnvironmentVariables;
  /** The config file (relative plugin paths resolve against its directory). */
  configPath?: string;
  logger?: Logger;
  tokenCounter?: TokenCounter;
  /** Record a routing row (0 tokens, the route reason) per `routeClaudeRequest`. Default true. */
  trackRouting?: boolean;
  /** Model when neither `--model` nor `ANTHROPIC_MODEL` is given (default Claude Code's). */
  defaultModel?: string;
  /** Conduit home for the default SQLite ledger. */
  home?: string;
  /** Epoch ms clock (tests). */
  now?: () => number;
}

/** What `routeClaudeRequest` decided. */
export interface SynapseRouteResult {
  /** Model id to use upstream. */
  model: string;
  /** Provider name from `Providers[]`. */
  provider: string;
  metadata: SynapseRouteMetadata;
}

/** Details of a routing decision. */
export interface SynapseRouteMetadata {
  /** `provider,model`: pass as `claude --model <route>` through a Conduit server. */
  route: string;
  /** Why (`default`, `think`, `synapse-agent-type`, `budget-downgrade`, `rule:<name>`, ...). */
  reason: string;
  scenario: string;
  confidence: number;
  tokenCount: number;
  /** The model the command line asked for (after alias resolution). */
  requestedModel: string;
  fallbacks: string[];
  /** Ledger id of the routing record. */
  requestId: string;
  projectId?: string;
  agentId?: string;
  agentType?: string;
  taskType?: string;
  /** Set when a budget was exceeded and the request was downgraded. */
  budget?: BudgetViolation;
  /** The parsed command line. */
  commandLine: ClaudeCommandLine;
  /** Everything the router and plugins put into the decision. */
  decision: Record<string, unknown>;
}

/**
 * Conduit as Synapse's model layer, in process.
 *
 * @example
 * ```ts
 * const synapse = new SynapseIntegration({ config: { preset: 'synapse', Providers, Router } });
 * const { provider, model, metadata } = await synapse.routeClaudeRequest(
 *   ['-p', 'fix the bug', '--model', 'sonnet'],
 *   { SYNAPSE_PROJECT_ID: 'web', SYNAPSE_AGENT_ID: 'coder-1', SYNAPSE_AGENT_TYPE: 'coding' },
 * );
 * await synapse.trackUsage({ projectId: 'web', agentId: 'coder-1', provider, model,
 *   inputTokens: 1200, outputTokens: 300 });
 * const { totalCost, requestCount } = await synapse.getUsageStats('web');
 * await synapse.close();
 * ```
 */
export class SynapseIntegration {
  /** The parsed config in use. */
  readonly config: ConduitConfig;
  readonly plugin: SynapsePlugin;
  private readonly plugins: PluginManager;
  private readonly configPlugins: Plugins;
  private readonly router: ConduitRouter;
  private readonly ledger: SynapseLedger;
  private readonly env: EnvironmentVariables;
  private readonly logger: Logger;
  private readonly tokenCounter: TokenCounter;
  private readonly trackRouting: boolean;
  private readonly defaultModel: string | undefined;
  private readonly now: () => number;
  private readonly configPath: string | undefined;
  private loading: Promise<void> | undefined;
  private closed = false;

  /** @throws ConfigError when the config (or its `synapse` section) cannot work. */
  constructor(options: SynapseIntegrationOptions) {
    this.logger = options.logger ?? silentLogger;
    this.env = options.env ?? process.env;
    this.config = parseConfig(options.config, {
      env: this.env,
      ...(options.configPath ? { source: options.configPath } : {}),
    });
    this.configPath = options.configPath;
    this.tokenCounter = options.tokenCounter ?? getDefaultTokenCounter();
    this.trackRouting = options.trackRouting ?? true;
    this.defaultModel = options.defaultModel;
    this.now = options.now ?? Date.now;
    // A throwaway plugin validates the synapse section before anything is opened.
    const settings = createSynapsePlugin({
      config: this.config,
      logger: this.logger,
    }).getSettings();
    this.ledger = createSynapseLedger(this.config, settings, {
      ...(options.usageStore ? { usageStore: options.usageStore } : {}),
      ...(options.usageTracker ? { usageTracker: options.usageTracker } : {}),
      logger: this.logger,
      ...(options.home ? { home: options.home } : {}),
      now: this.now,
    });
    this.plugin = createSynapsePlugin({
      config: this.config,
      logger: this.logger,
      ...(this.ledger.budgetGuard ? { budgetGuard: this.ledger.budgetGuard } : {}),
    });
    this.configPlugins = pluginsExtension(this.config, {
      logger: this.logger,
      ...(options.configPath ? { configPath: options.configPath } : {}),
      entries: entries => withSynapsePlugin(entries, this.plugin),
    });
    this.plugins = this.configPlugins.manager;
    this.router = new ConduitRouter(this.config, {
      hooks: this.plugins,
      tokenCounter: this.tokenCounter,
      logger: this.logger,
      ...(options.configPath ? { configPath: options.configPath } : {}),
    });
  }

  /**
   * Routes a Claude Code command line: parses it as `claude` would, builds the opening request
   * (model from `--model`, `ANTHROPIC_MODEL` or the default), reads the Synapse context from
   * `env`, counts tokens, routes through the core router with the Synapse plugin (and the
   * config's other plugins), records a routing row in the ledger, and returns the decision.
   *
   * @throws ClaudeCommandLineError for a command line without a model request (`--help`, `mcp`),
   * SynapseContextError for a malformed `SYNAPSE_*` variable, BudgetExceededError when over a
   * budget with `budgetAction: "reject"`, NoRouteError when nothing can serve the model.
   */
  async routeClaudeRequest(
    args: readonly string[],
    env: EnvironmentVariables = {},
  ): Promise<SynapseRouteResult> {
    this.assertOpen();
    await this.ensureLoaded();
    const startedAt = this.now();
    const mergedEnv = { ...this.env, ...env };
    const commandLine = parseClaudeArgs(args);
    const context = ContextExtractor.fromEnv(mergedEnv);
    const request = buildClaudeRequest(commandLine, mergedEnv, {
      ...(this.defaultModel ? { defaultModel: this.defaultModel } : {}),
    });
    const requestedModel = request.model;
    const tokenCount = this.tokenCounter.countRequest(request);
    const requestId = `synapse_${randomUUID().replaceAll('-', '')}`;
    this.plugin.attachContext(request, context);
    const routingContext: RoutingContext = {
      request,
      tokenCount,
      metadata: { requestId, requestedModel, source: 'synapse' },
    };
    const decision = await this.router.route(routingContext);
    if (this.trackRouting) this.recordRouting(request, decision, context, requestId, startedAt);
    return {
      provider: decision.provider,
      model: decision.model,
      metadata: toRouteMetadata(decision, context, { requestId, requestedModel, commandLine }),
    };
  }

  /**
   * Records one model call's usage in the ledger (priced from the pricing table and
   * `usage.pricing`) and counts it against budgets at once.
   * @returns the ledger id and the cost (null when the model has no known price).
   * @throws InvalidRequestError for a malformed report, ConfigError when usage tracking is off.
   */
  async trackUsage(
    report: SynapseUsageReport,
  ): Promise<{ requestId: string; costUsd: number | null }> {
    this.assertOpen();
    const usage = parseUsageReport(report);
    const tracker = this.requireTracker();
    const requestId = usage.requestId ?? `synapse_${randomUUID().replaceAll('-', '')}`;
    const startedAt = usage.timestamp ?? new Date(this.now());
    const metadata: Record<string, unknown> = { projectId: usage.projectId };
    if (usage.agentId !== undefined) metadata.agentId = usage.agentId;
    if (usage.sessionId !== undefined) metadata.sessionId = usage.sessionId;
    const decision: RoutingDecision = {
      provider: usage.provider,
      model: usage.model,
      reason: usage.routeReason ?? 'synapse-reported',
      scenario: 'default',
      confidence: 1,
      tokenCount: usage.inputTokens,
      fallbacks: [],
      metadata,
    };
    tracker.trackRequest(
      {
        request: placeholderRequest(usage.model),
        metadata,
        ...(usage.sessionId ? { sessionId: usage.sessionId } : {}),
      },
      decision,
      {
        requestId,
        startedAt,
        usage: {
          input_tokens: usage.inputTokens,
          output_tokens: usage.outputTokens,
          cache_read_input_tokens: usage.cacheReadTokens ?? 0,
          cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
        },
        usageEstimated: false,
        latencyMs: usage.latencyMs ?? 0,
        status: usage.status ?? 200,
        ...(usage.errorType ? { errorType: usage.errorType } : {}),
        streamed: usage.streamed ?? false,
      },
    );
    const costUsd = this.ledger.priceUsage(usage.provider, usage.model, usage);
    this.ledger.budgetGuard?.recordSpend({
      projectId: usage.projectId,
      agentId: usage.agentId ?? null,
      costUsd,
      at: startedAt.getTime(),
    });
    return { requestId, costUsd };
  }

  /**
   * Usage of a project from the ledger (queued rows are written first): at least `totalCost`
   * and `requestCount`, plus tokens, errors and per agent/model/day breakdowns. `agentId`
   * narrows the totals to one agent.
   */
  async getUsageStats(
    projectId: string,
    options: TimeRange & { agentId?: string } = {},
  ): Promise<SynapseUsageSummary> {
    this.assertOpen();
    const { agentId, ...range } = options;
    const stats = await this.requireTracker().getStats(projectId, range);
    return summarizeUsage(stats, agentId);
  }

  /** Unloads plugins and writes the ledger's queued rows; closes only what this instance opened. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.loading?.catch(() => undefined);
    await this.plugins.cleanup();
    await this.ledger.close();
  }

  private ensureLoaded(): Promise<void> {
    this.loading ??= (async () => {
      const entries = this.configPlugins.entriesFor(this.config);
      const report = await this.plugins.loadPlugins(entries);
      const synapseFailure = report.failed.find(failure => failure.name === this.plugin.name);
      if (synapseFailure) throw synapseFailure.error;
      if (report.failed.length > 0) {
        this.logger.warn(
          `${report.failed.length} plugin(s) failed to load; routing continues without them`,
        );
      }
      await this.router.initialize();
    })();
    return this.loading;
  }

  private recordRouting(
    request: MessagesRequest,
    decision: RoutingDecision,
    context: SynapseContext,
    requestId: string,
    startedAt: number,
  ): void {
    const tracker = this.ledger.tracker;
    if (!tracker) return;
    const metadata: Record<string, unknown> = { ...decision.metadata };
    if (context.projectId !== undefined) metadata.projectId = context.projectId;
    if (context.agentId !== undefined) metadata.agentId = context.agentId;
    tracker.trackRequest({ request, metadata }, decision, {
      requestId,
      startedAt: new Date(startedAt),
      usageEstimated: true,
      latencyMs: Math.max(0, this.now() - startedAt),
      status: 200,
      streamed: false,
    });
  }

  private requireTracker(): UsageTracker {
    const tracker = this.ledger.tracker;
    if (tracker) return tracker;
    throw new ConfigError({
      issues: [
        {
          path: 'usage.enabled',
          message: 'is false, so there is no usage ledger to record to or read from.',
          hint: 'set "usage": { "enabled": true } or pass usageStore/usageTracker to SynapseIntegration.',
        },
      ],
    });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new ConfigError({
        issues: [{ path: '', message: 'this SynapseIntegration is closed; create a new one.' }],
      });
    }
  }
}

function placeholderRequest(model: string): MessagesRequest {
  return { model, max_tokens: 1, messages: [] };
}

function toRouteMetadata(
  decision: RoutingDecision,
  context: SynapseContext,
  extra: { requestId: string; requestedModel: string; commandLine: ClaudeCommandLine },
): SynapseRouteMetadata {
  const metadata: SynapseRouteMetadata = {
    route: `${decision.provider},${decision.model}`,
    reason: String(decision.reason),
    scenario: decision.scenario,
    confidence: decision.confidence,
    tokenCount: decision.tokenCount,
    requestedModel: extra.requestedModel,
    fallbacks: decision.fallbacks,
    requestId: extra.requestId,
    commandLine: extra.commandLine,
    decision: decision.metadata,
  };
  for (const key of ['projectId', 'agentId', 'agentType', 'taskType'] as const) {
    const value = context[key];
    if (value !== undefined) metadata[key] = value;
  }
  const budget = decision.metadata.budget as BudgetViolation | undefined;
  if (budget) metadata.budget = budget;
  return metadata;
}
