/**
 * Composes the packages into the running gateway: `@conduit/server` with the plugins of
 * `@conduit/plugins` as routing hooks and every request recorded in `@conduit/monitoring`'s usage
 * ledger. The rest of the CLI only sees {@link Gateway}.
 * @module
 */
import { dirname } from 'node:path';
import type { ConduitConfig, Logger, MessagesRequest, RoutingContext } from '@conduit/core';
import { createUsageTracker, type UsageTracker } from '@conduit/monitoring';
import { PluginManager, pluginConfigsFromConduitConfig } from '@conduit/plugins';
import { createConduitServer, type RequestObserver, type RequestRecord } from '@conduit/server';

/** The running gateway as the CLI uses it. */
export interface Gateway {
  start(options?: {
    port?: number;
    host?: string;
  }): Promise<{ url: string; port: number; host: string }>;
  /** Stops the server (graceful), then unloads plugins and flushes the usage ledger. */
  stop(): Promise<void>;
}

/** Feeds each finished request into the usage ledger (requests that failed before routing have no provider to attribute and are skipped). */
export function createUsageObserver(tracker: UsageTracker): RequestObserver {
  return {
    onRequestComplete(record: RequestRecord) {
      if (!record.decision) return;
      const metadata = record.metadata;
      const sessionId = typeof metadata.sessionId === 'string' ? metadata.sessionId : undefined;
      // The ledger reads only metadata and the session id from the context.
      const context: RoutingContext = {
        request: {
          model: record.decision.model,
          max_tokens: 0,
          messages: [],
        } as unknown as MessagesRequest,
        metadata,
        sessionId,
      };
      const decision = record.servedBy
        ? { ...record.decision, ...record.servedBy }
        : record.decision;
      tracker.trackRequest(context, decision, {
        requestId: record.requestId,
        startedAt: new Date(record.startedAt),
        usage: record.usage ?? undefined,
        usageEstimated: record.usageEstimated,
        latencyMs: record.latencyMs,
        ttfbMs: record.ttfbMs ?? undefined,
        upstreamMs: record.upstreamMs ?? undefined,
        status: record.status,
        errorType: record.errorType ?? undefined,
        streamed: record.streamed,
      });
    },
  };
}

/** Creates the gateway for a loaded config: plugins loaded, usage tracked when `usage.enabled`. */
export async function createGateway(
  config: ConduitConfig,
  options: { configPath?: string; logger: Logger; home: string },
): Promise<Gateway> {
  const baseDir = options.configPath ? dirname(options.configPath) : process.cwd();
  const plugins = new PluginManager({
    logger: options.logger,
    baseDir,
    conduitConfig: config as unknown as Record<string, unknown>,
  });
  const report = await plugins.loadPlugins(pluginConfigsFromConduitConfig(config, { baseDir }));
  // The manager has already logged each failure with its reason; say how many at start-up.
  if (report.failed.length > 0) {
    options.logger.warn(
      `${report.failed.length} plugin(s) failed to load; routing continues without them`,
    );
  }
  const tracker = config.usage.enabled
    ? createUsageTracker(config.usage, { logger: options.logger, home: options.home })
    : undefined;
  const server = createConduitServer(config, {
    configPath: options.configPath,
    logger: options.logger,
    hooks: plugins,
    observer: tracker ? createUsageObserver(tracker) : undefined,
  });
  return {
    start: listen => server.start(listen),
    stop: async () => {
      await server.stop();
      await plugins.cleanup();
      await tracker?.close();
    },
  };
}
