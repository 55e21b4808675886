/**
 * Conduit's gateway with Synapse built in: header context, agent routing, budgets, response
 * metadata and the `/api/synapse` endpoints.
 * @module
 */
import { dirname } from 'node:path';
import type { Server as HTTPServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ConduitConfigInput, ConduitError, type Logger, silentLogger } from '@conduit/core';
import type { UsageStore, UsageTracker } from '@conduit/monitoring';
import { PluginManager, pluginConfigsFromConduitConfig } from '@conduit/plugins';
import {
  type ConduitServer,
  type ConduitServerOptions,
  createConduitServer,
  parseConduitConfig,
} from '@conduit/server';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { SynapseContext } from '../context/synapse-context.js';
import { createSynapseLedger, type SynapseLedger } from '../integration/synapse-ledger.js';
import { createSynapsePlugin, type SynapsePlugin } from '../routing/create-synapse-plugin.js';
import { withSynapsePlugin } from '../routing/synapse-plugin-entries.js';
import { DecisionRegistry } from './decision-registry.js';
import { decorateMessagesResponse } from './decorate-response.js';
import { createSynapseObserver } from './synapse-observer.js';
import { createSynapseRoutes } from './synapse-routes.js';

/** Options of {@link createSynapseServer}. */
export interface SynapseServerOptions extends Omit<ConduitServerOptions, 'hooks'> {
  /** Usage ledger store (flushed on stop, not closed: it stays yours). */
  usageStore?: UsageStore;
  /** Usage tracker to use (left open on stop). */
  usageTracker?: UsageTracker;
  /** Context every request starts from (e.g. the server's own `SYNAPSE_*`); headers override it. */
  baseContext?: SynapseContext;
  /** Conduit home for the default SQLite ledger. */
  home?: string;
  /** Epoch ms clock for budget windows and `since=24h` (tests). */
  clock?: () => number;
}

/** Where a started Synapse server listens. */
export interface SynapseListeningAddress {
  url: string;
  port: number;
  host: string;
}

/**
 * A Conduit gateway for Synapse. `app` serves everything Conduit serves plus
 * `GET /api/synapse/usage` and `GET /api/synapse/health`; `/v1/messages` responses carry
 * `x-synapse-*`/`x-conduit-*` headers and, when streamed, `: conduit {...}` metadata comments.
 */
export class SynapseServer {
  /** The composed Hono app (Synapse routes in front of Conduit's), for in-process use. */
  readonly app: Hono;
  readonly conduit: ConduitServer;
  readonly plugin: SynapsePlugin;
  readonly plugins: PluginManager;
  readonly ledger: SynapseLedger;
  private readonly logger: Logger;
  private readonly baseDir: string | undefined;
  private httpServer: HTTPServer | undefined;
  private address: SynapseListeningAddress | undefined;
  private stopped = false;

  /** Use {@link createSynapseServer}. */
  constructor(parts: {
    app: Hono;
    conduit: ConduitServer;
    plugin: SynapsePlugin;
    plugins: PluginManager;
    ledger: SynapseLedger;
    logger: Logger;
    baseDir: string | undefined;
  }) {
    this.app = parts.app;
    this.conduit = parts.conduit;
    this.plugin = parts.plugin;
    this.plugins = parts.plugins;
    this.ledger = parts.ledger;
    this.logger = parts.logger;
    this.baseDir = parts.baseDir;
  }

  get url(): string | null {
    return this.address?.url ?? null;
  }

  /** Starts listening (port 0 picks a free port; default host 127.0.0.1, port 3456). */
  async start(options: { port?: number; host?: string } = {}): Promise<SynapseListeningAddress> {
    if (this.address) return this.address;
    const config = this.conduit.config;
    const host = options.host ?? config.server.host ?? config.HOST ?? '127.0.0.1';
    const port = options.port ?? config.server.port ?? config.PORT ?? 3456;
    const server = createAdaptorServer({ fetch: this.app.fetch }) as HTTPServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new ConduitError({
            name: 'ListenError',
            message:
              error.code === 'EADDRINUSE'
                ? `Port ${port} on ${host} is already in use. Stop the other process or choose another port.`
                : `Could not listen on ${host}:${port}: ${error.message}`,
            cause: error,
          }),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    this.httpServer = server;
    const bound = server.address() as AddressInfo;
    const urlHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.address = { url: `http://${urlHost}:${bound.port}`, port: bound.port, host };
    this.logger.info('conduit (synapse) listening', { url: this.address.url });
    return this.address;
  }

  /**
   * Stops listening (in-flight responses get `server.gracefulShutdown.timeoutMs`), then releases
   * the upstream pool, unloads plugins and writes queued usage rows.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const server = this.httpServer;
    this.httpServer = undefined;
    this.address = undefined;
    if (server) {
      const deadline = setTimeout(
        () => server.closeAllConnections(),
        this.conduit.config.server.gracefulShutdown.timeoutMs,
      );
      deadline.unref();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearTimeout(deadline);
    }
    await this.conduit.stop();
    await this.plugins.cleanup();
    await this.ledger.close();
  }

  /**
   * Applies a partial config to the gateway, the Synapse settings and the plugins.
   * @throws ConfigError, keeping the current config, when the result is invalid.
   */
  async updateConfig(partial: Record<string, unknown>): Promise<void> {
    await this.conduit.updateConfig(partial);
    const config = this.conduit.config;
    this.plugin.configure(config);
    await this.plugins.reload(
      withSynapsePlugin(
        pluginConfigsFromConduitConfig(config as unknown as Record<string, unknown>, {
          ...(this.baseDir ? { baseDir: this.baseDir } : {}),
        }),
        this.plugin,
      ),
    );
    this.ledger.budgetGuard?.invalidate();
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
  options: SynapseServerOptions = {},
): Promise<SynapseServer> {
  const { usageStore, usageTracker, baseContext, home, clock, observer, ...conduitOptions } =
    options;
  const logger = options.logger ?? silentLogger;
  const now = clock ?? Date.now;
  const config = parseConduitConfig(configInput, {
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.transformers ? { registry: options.transformers } : {}),
  });
  const baseDir = options.configPath ? dirname(options.configPath) : undefined;
  const settings = createSynapsePlugin({ config, logger }).getSettings();
  const ledger = createSynapseLedger(config, settings, {
    ...(usageStore ? { usageStore } : {}),
    ...(usageTracker ? { usageTracker } : {}),
    logger,
    ...(home ? { home } : {}),
    now,
  });
  const decisions = new DecisionRegistry();
  const plugin = createSynapsePlugin({
    config,
    logger,
    ...(baseContext ? { baseContext } : {}),
    ...(ledger.budgetGuard ? { budgetGuard: ledger.budgetGuard } : {}),
    onDecision: record => decisions.add(record),
  });
  const plugins = new PluginManager({
    logger,
    conduitConfig: config as unknown as Record<string, unknown>,
    ...(baseDir ? { baseDir } : {}),
  });
  try {
    const report = await plugins.loadPlugins(
      withSynapsePlugin(
        pluginConfigsFromConduitConfig(config as unknown as Record<string, unknown>, {
          ...(baseDir ? { baseDir } : {}),
        }),
        plugin,
      ),
    );
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

  const conduit = createConduitServer(configInput, {
    ...conduitOptions,
    hooks: plugins,
    observer: createSynapseObserver(ledger, observer),
  });

  const app = new Hono();
  app.route(
    '/api/synapse',
    createSynapseRoutes({
      getAPIKey: () => conduit.config.APIKEY,
      ledger,
      plugin,
      plugins,
      getConduitHealth: () => conduit.getHealth(),
      now,
    }),
  );
  app.all('*', async context => {
    const response = await conduit.app.fetch(context.req.raw, context.env);
    if (context.req.method !== 'POST' || context.req.path !== '/v1/messages') return response;
    const record = decisions.take(response.headers.get('x-conduit-request-id'));
    return decorateMessagesResponse(response, { record, settings: plugin.getSettings(), ledger });
  });

  return new SynapseServer({ app, conduit, plugin, plugins, ledger, logger, baseDir });
}
