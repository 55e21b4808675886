/**
 * Conduit's gateway with Synapse built in: header context, agent routing, budgets, response
 * metadata and the `/api/synapse` endpoints.
 * @module
 */
import {
  type ParsedConduitConfig,
  type ConduitConfigInput,
  type RoutingHooks,
  silentLogger,
} from '@conduit/core';
import {
  type Monitoring,
  monitoring,
  type UsageStore,
  type UsageTracker,
} from '@conduit/monitoring';
import { type PluginManager, plugins as pluginsExtension } from '@conduit/plugins';
import {
  type ConduitServer,
  type ConduitServerOptions,
  combineResponseHooks,
  createConduitServer,
  type ListeningAddress,
  parseConduitConfig,
  type StopOptions,
} from '@conduit/server';
import type { SynapseContext } from '@conduit/synapse';
import { createSynapseLedger, type SynapseLedger } from '@conduit/synapse';
import {
  createSynapsePlugin,
  type SynapseDecisionRecord,
  type SynapsePlugin,
} from '@conduit/synapse';
import { withSynapsePlugin } from '@conduit/synapse';
import { DecisionRegistry } from '@conduit/synapse';
import { SessionBudgets } from '@conduit/synapse';
import { SynapseConfigFollower } from '@conduit/synapse';
import { createSynapseObserver } from '@conduit/synapse';
import { createSynapseResponseHooks } from '@conduit/synapse';
import { createSynapseRoutes } from '@conduit/synapse';
import type { ConduitUI } from '@conduit/ui';
import { composeUI, type GatewayUIOption } from '../gateway/compose-ui.js';
import { composeFleet } from '../gateway/compose-fleet.js';
import { connectFleetToUI } from '../gateway/connect-fleet-to-ui.js';

/** Options of {@link createSynapseServer}. */
export interface SynapseServerOptions extends Omit<ConduitServerOptions, 'hooks'> {
  /** Usage ledger store (flushed on stop, not closed: it stays yours). */
  usageStore?: UsageStore;
  /**
   * Usage tracker to use (left open on stop). It is also the gateway's ledger: each request is
   * one row, with the Synapse project and agent ids.
   */
  usageTracker?: UsageTracker;
  /** Context every request starts from (e.g. the server's own `SYNAPSE_*`); headers override it. */
  baseContext?: SynapseContext;
  /** Conduit home for the default SQLite ledger. */
  home?: string;
  /** `false` turns the usage ledger off (budgets then have no spend to read). */
  usage?: false;
  /** Epoch ms clock for budget windows and `since=24h` (tests). */
  clock?: () => number;
  /** Serve the web UI at `/ui/` (see `createConduit`'s `ui`); its Budgets page shows Synapse's. */
  ui?: GatewayUIOption;
}

/** Where a started Synapse server listens. */
export type SynapseListeningAddress = ListeningAddress;

/**
 * A Conduit gateway for Synapse: a {@link ConduitServer} whose routing goes through the Synapse
 * plugin (and the config's other plugins), whose usage ledger is Synapse's, with
 * `GET /api/synapse/usage` and `GET /api/synapse/health` mounted behind the API key, and whose
 * `/v1/messages` responses carry `x-synapse-*`/`x-conduit-*` headers and, when streamed,
 * `: conduit {...}` metadata comments.
 */
export class SynapseServer {
  /** The gateway's Hono app (Synapse routes included), for in-process use. */
  readonly app: ConduitServer['app'];
  readonly conduit: ConduitServer;
  readonly plugin: SynapsePlugin;
  readonly plugins: PluginManager;
  readonly ledger: SynapseLedger;
  /** The web UI, when the `ui` option asked for it. */
  readonly ui: ConduitUI | undefined;
  /** The Prometheus metrics of this gateway. */
  readonly metrics: Monitoring['metrics'];
  /** The usage ledger (Synapse's tracker), unless usage tracking is off. */
  readonly usageTracker: Monitoring['usageTracker'];
  private readonly follower: SynapseConfigFollower;
  private stopped: Promise<void> | undefined;

  /** Use {@link createSynapseServer}. */
  constructor(parts: {
    conduit: ConduitServer;
    plugin: SynapsePlugin;
    plugins: PluginManager;
    ledger: SynapseLedger;
    monitoring: Monitoring;
    follower: SynapseConfigFollower;
    ui?: ConduitUI;
  }) {
    this.app = parts.conduit.app;
    this.conduit = parts.conduit;
    this.plugin = parts.plugin;
    this.plugins = parts.plugins;
    this.ledger = parts.ledger;
    this.metrics = parts.monitoring.metrics;
    this.usageTracker = parts.monitoring.usageTracker;
    this.follower = parts.follower;
    this.ui = parts.ui;
  }

  /** The listening address, once started. */
  get url(): string | null {
    return this.conduit.url;
  }

  /**
   * Starts listening, as {@link ConduitServer.start} does (port 0 picks a free port; default
   * host 127.0.0.1, port 3456).
   * @throws InsecureBindError for a non-loopback host without `APIKEY`; `ListenError` when the
   * port is taken.
   */
  start(options: { port?: number; host?: string } = {}): Promise<SynapseListeningAddress> {
    return this.conduit.start(options);
  }

  /**
   * Graceful shutdown as {@link ConduitServer.stop} (in-flight responses get
   * `server.gracefulShutdown.timeoutMs`), then unloads plugins and writes queued usage rows.
   * Idempotent.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopped ??= (async () => {
      try {
        await this.conduit.stop(options);
      } finally {
        await this.plugins.cleanup();
        await this.ledger.close();
      }
    })();
    return this.stopped;
  }

  /**
   * Applies a partial config to the gateway, the Synapse settings and the plugins.
   * @throws ConfigError, keeping the current config, when the result is invalid.
   */
  async updateConfig(partial: Record<string, unknown>): Promise<void> {
    await this.conduit.updateConfig(partial);
    await this.follower.applyNow(this.conduit.config);
  }
}

/**
 * Creates a Conduit gateway with Synapse built in: the Synapse plugin (header context, agent
 * and project routing, budgets) loads with the config's other plugins; every request is recorded
 * in the usage ledger and counted against budgets; responses carry Synapse's metadata.
 *
 * @throws ConfigError when the config or its `synapse` section cannot work.
 * @example
 * ```ts
 * const server = await createSynapseServer({ preset: 'synapse', Providers, Router,
 *   synapse: { budgets: { project: { daily: 20 } } } });
 * const { url } = await server.start({ port: 3456 });
 * // ANTHROPIC_BASE_URL=<url> ANTHROPIC_CUSTOM_HEADERS="x-synapse-project-id: web" claude
 * await server.stop();
 * ```
 */
export async function createSynapseServer(
  configInput: ConduitConfigInput = {},
  { ui: uiOption, ...givenOptions }: SynapseServerOptions = {},
): Promise<SynapseServer> {
  // The UI reads Synapse's ledger, created below.
  let usageTracker: UsageTracker | undefined;
  const composedUI = composeUI(givenOptions, uiOption, () => usageTracker);
  const options = composedUI.serverOptions;
  const {
    usageStore,
    usageTracker: givenUsageTracker,
    baseContext,
    home,
    clock,
    usage: _usage,
    observer,
    extensions,
    responseHooks,
    ...conduitOptions
  } = options;
  const logger = options.logger ?? silentLogger;
  const now = clock ?? Date.now;
  const config = parseConduitConfig(configInput, {
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.transformers ? { registry: options.transformers } : {}),
  });
  const settings = createSynapsePlugin({ config, logger }).getSettings();
  const ledgerConfig: ParsedConduitConfig =
    options.usage === false ? { ...config, usage: { ...config.usage, enabled: false } } : config;
  const ledger = createSynapseLedger(ledgerConfig, settings, {
    ...(usageStore ? { usageStore } : {}),
    ...(givenUsageTracker ? { usageTracker: givenUsageTracker } : {}),
    logger,
    ...(home ? { home } : {}),
    now,
  });
  usageTracker = ledger.tracker;
  const decisions = new DecisionRegistry();
  const sessionBudgets = ledger.budgetGuard ? new SessionBudgets(ledger.budgetGuard) : undefined;
  const plugin = createSynapsePlugin({
    config,
    logger,
    ...(baseContext ? { baseContext } : {}),
    ...(ledger.budgetGuard ? { budgetGuard: ledger.budgetGuard } : {}),
    ...(sessionBudgets ? { sessionBudgets } : {}),
    onDecision: record => decisions.add(record),
  });
  // The config's plugins with the Synapse plugin in its place (`withSynapsePlugin`).
  const configPlugins = pluginsExtension(config, {
    logger,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    entries: entries => withSynapsePlugin(entries, plugin),
  });
  const plugins = configPlugins.manager;
  const pluginEntries = (current: ParsedConduitConfig) => configPlugins.entriesFor(current);
  try {
    const report = await plugins.loadPlugins(pluginEntries(config));
    const synapseFailure = report.failed.find(failure => failure.name === plugin.name);
    if (synapseFailure) throw synapseFailure.error;
    if (report.failed.length > 0) {
      logger.warn(
        `${report.failed.length} plugin(s) failed to load; routing continues without them`,
      );
    }
  } catch (error) {
    await plugins.cleanup();
    await ledger.close();
    throw error;
  }

  let follower: SynapseConfigFollower | undefined;
  const hooks: RoutingHooks = {
    // A config the server reloaded from its file reaches Synapse before the request is routed.
    beforeRouting: async context => {
      await follower?.sync();
      return plugins.beforeRouting(context);
    },
    rewritesRequests: () => plugins.rewritesRequests(),
    customRoute: context => plugins.customRoute(context),
    afterRouting: (decision, context) => plugins.afterRouting(decision, context),
  };
  const peekDecision = (requestId: string): SynapseDecisionRecord | undefined =>
    decisions.get(requestId);

  // One ledger: each request's row goes to Synapse's tracker (metrics and health with it).
  const gatewayMonitoring = monitoring(config, {
    logger,
    ...(ledger.tracker ? { usageTracker: ledger.tracker } : { usage: false as const }),
  });
  let conduit: ConduitServer;
  try {
    const withFleet = composeFleet(
      config,
      {
        ...conduitOptions,
        hooks,
        observer: createSynapseObserver({
          ledger,
          onFinish: requestId => decisions.take(requestId),
          ...(observer ? { next: observer } : {}),
        }),
        responseHooks: combineResponseHooks([
          createSynapseResponseHooks({
            getRecord: peekDecision,
            getSettings: () => plugin.getSettings(),
            ledger,
          }),
          responseHooks,
        ]),
        extensions: [
          gatewayMonitoring,
          ...(sessionBudgets
            ? [{ name: 'synapse-budgets', sessionBudgets: (id: string) => sessionBudgets.read(id) }]
            : []),
          (app, server) => {
            app.route(
              '/api/synapse',
              createSynapseRoutes({
                ledger,
                plugin,
                plugins,
                getConduitHealth: () => server.getHealth(),
                now,
              }),
            );
          },
          ...(extensions ?? []),
        ],
      },
      { logger, ...(home ? { home } : {}) },
    );
    conduit = createConduitServer(configInput, withFleet.serverOptions);
    connectFleetToUI(withFleet.fleet, composedUI.ui);
  } catch (error) {
    await plugins.cleanup();
    await ledger.close();
    throw error;
  }
  const gateway = conduit;
  composedUI.attach(gateway);
  follower = new SynapseConfigFollower({
    initial: gateway.config,
    getConfig: () => gateway.config,
    apply: async current => {
      const entries = pluginEntries(current);
      const entryConfig = entries.find(entry => entry.name === plugin.name)?.config;
      // Validates first (throws, nothing changed); again after the reload, whose `onLoad` resets
      // the plugin to the config it was created with.
      plugin.configure(current, entryConfig);
      await plugins.reload(entries);
      plugin.configure(current, entryConfig);
      ledger.budgetGuard?.invalidate();
      sessionBudgets?.clear();
    },
    logger,
  });
  return new SynapseServer({
    conduit: gateway,
    plugin,
    plugins,
    ledger,
    monitoring: gatewayMonitoring,
    follower,
    ...(composedUI.ui ? { ui: composedUI.ui } : {}),
  });
}
