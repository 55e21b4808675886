import type { CheckReport, HealthReport } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { CircuitStateReport } from '../resilience/circuit-breaker.js';

/** What `GET /health` and `ConduitServer.getHealth()` report. */
export interface ConduitHealth {
  /** `degraded` when no provider is configured (model calls cannot succeed). */
  status: 'ok' | 'degraded';
  version: string;
  /** ISO time of the report. */
  timestamp: string;
  uptimeMs: number;
  providers: number;
  /** `provider,model` routes configured. */
  models: number;
  /** The listening URL, once started. */
  url: string | null;
  /** Human-readable problems, e.g. how to add a provider. */
  warnings: string[];
  /** Whether every critical check passed at the last run (what `/health/ready` answers). */
  ready: boolean;
  /** The health checks' latest results (server, router, providers, plugins, storage). */
  checks: CheckReport[];
  /** Circuit breakers of `provider,model` targets that have failed at least once. */
  circuits: CircuitStateReport[];
}

/**
 * `GET /health/ready`: runs the checks now and answers 200 when every critical one is healthy,
 * else 503 listing the failing checks. Public, like `/health`, so orchestrators can probe it.
 */
export function createReadinessHandler(runChecks: () => Promise<HealthReport>) {
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const report = await runChecks();
    return context.json(
      {
        status: report.ready ? 'ready' : 'not_ready',
        checkedAt: report.checkedAt,
        failing: report.failing,
        checks: report.checks,
      },
      report.ready ? 200 : 503,
    );
  };
}
