import { InvalidRequestError } from '@conduit/core';
import { Hono } from 'hono';
import type { SynapseLedger } from '../integration/synapse-ledger.js';
import { summarizeUsage } from '../integration/usage-summary.js';
import type { SynapsePlugin } from '../routing/create-synapse-plugin.js';
import { parseTimeBound } from './parse-time-bound.js';

/** Where `/api/synapse/health` reads the Synapse plugin's health from. */
export interface SynapsePluginHealthSource {
  getHealth(): Promise<{
    plugins: Array<{ name: string; status: string }>;
  }>;
}

/** What the `/api/synapse` routes need. */
export interface SynapseRouteDependencies {
  ledger: SynapseLedger;
  plugin: SynapsePlugin;
  /** The plugin host's health report (`@conduit/plugins`' `PluginManager.getHealth`). */
  plugins: SynapsePluginHealthSource;
  getConduitHealth(): unknown;
  now: () => number;
}

/**
 * `GET /api/synapse/usage?projectId=&agentId=&since=&until=`: usage from the ledger;
 * `GET /api/synapse/health`: the Synapse plugin, budgets, the ledger and the gateway. Mounted as a
 * Conduit server extension, so both sit behind the config's `APIKEY` (when set) and errors leave
 * through the server's error handler as Anthropic error envelopes.
 */
export function createSynapseRoutes(dependencies: SynapseRouteDependencies): Hono {
  const app = new Hono();
  app.get('/usage', async context => {
    const tracker = dependencies.ledger.tracker;
    if (!tracker) {
      return context.json(
        {
          type: 'error',
          error: {
            type: 'api_error',
            message:
              'Usage tracking is off. Set "usage": { "enabled": true } in the Conduit config.',
          },
        },
        503,
      );
    }
    const query = context.req.query();
    const now = dependencies.now();
    const since = parseTimeBound('since', query.since, now);
    const until = parseTimeBound('until', query.until, now);
    const projectId = optionalId('projectId', query.projectId);
    const agentId = optionalId('agentId', query.agentId);
    const stats = await tracker.getStats(projectId, {
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    return context.json(summarizeUsage(stats, agentId));
  });

  app.get('/health', async context => {
    const [plugins, usage] = await Promise.all([
      dependencies.plugins.getHealth(),
      dependencies.ledger.tracker?.checkHealth(),
    ]);
    const synapse = plugins.plugins.find(entry => entry.name === dependencies.plugin.name);
    const budgets = dependencies.ledger.budgetGuard?.getHealth();
    const unhealthy = usage?.status === 'unhealthy' || synapse?.status === 'unhealthy' || !synapse;
    const degraded =
      usage?.status === 'degraded' ||
      budgets?.status === 'degraded' ||
      synapse?.status === 'degraded';
    const settings = dependencies.plugin.getSettings();
    return context.json(
      {
        status: unhealthy ? 'unhealthy' : degraded ? 'degraded' : 'healthy',
        synapse: {
          enabled: settings.enabled,
          plugin: synapse ?? { status: 'unhealthy', message: 'the synapse plugin is not loaded' },
          budgetAction: settings.budgetAction,
          budgets: budgets ?? null,
        },
        usage: usage ?? null,
        conduit: dependencies.getConduitHealth(),
      },
      unhealthy ? 503 : 200,
    );
  });
  return app;
}

function optionalId(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.length > 256) {
    throw new InvalidRequestError({
      message: `Query parameter "${name}" is longer than 256 characters.`,
      field: name,
    });
  }
  return value.trim();
}
