import type { SessionMemory } from '@conduit/core';
import type { HealthReport, UsageTracker } from '@conduit/monitoring';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { RequestObserver, RequestRecord } from '../observer/request-observer.js';
import type { CircuitStateReport } from '../resilience/circuit-breaker.js';

/** `GET /api/sessions/:sessionId`: what `conduit statusline` shows for one Claude Code session. */
export interface SessionInfo {
  sessionId: string;
  /** The route that served the session's last finished request; null when none since start. */
  last: { provider: string; model: string; route: string; at: string } | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** From the ledger; null when usage tracking is off. */
  costUsd: number | null;
  /** Requests of models without a known price (not in `costUsd`). */
  unpricedRequests: number;
  /** Where the totals come from: the durable ledger, or memory since the gateway started. */
  totalsFrom: 'ledger' | 'memory';
  /** Open circuits and failing health checks (budgets, storage), one short line each. */
  warnings: string[];
}

export interface SessionRouteDependencies {
  sessions: SessionMemory;
  getUsageTracker(): UsageTracker | undefined;
  getCircuitStates(): CircuitStateReport[];
  getHealthChecks(): HealthReport['checks'];
}

const sessionIdPattern = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Feeds finished requests that carry a session id into `sessions`. */
export function createSessionObserver(sessions: SessionMemory): RequestObserver {
  return {
    onRequestComplete(record: RequestRecord) {
      const sessionId = record.metadata.sessionId;
      if (typeof sessionId !== 'string' || !record.servedBy || !record.decision || !record.usage)
        return;
      const usage = record.usage;
      sessions.recordTurn(sessionId, {
        provider: record.servedBy.provider,
        model: record.servedBy.model,
        reason: String(record.decision.reason),
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        contextTokens:
          usage.input_tokens + usage.cache_read_input_tokens + usage.cache_creation_input_tokens,
        at: Date.now(),
      });
    },
  };
}

function describeWarnings(dependencies: SessionRouteDependencies): string[] {
  const warnings = dependencies
    .getCircuitStates()
    .filter(circuit => circuit.state === 'open')
    .map(circuit => `circuit open: ${circuit.provider},${circuit.model}`);
  for (const check of dependencies.getHealthChecks()) {
    if (check.status === 'degraded' || check.status === 'unhealthy')
      warnings.push(`${check.name}: ${check.message ?? check.status}`);
  }
  return warnings;
}

/** The handler of `GET /api/sessions/:sessionId` (a 400 for an id that is not one). */
export function createSessionHandler(dependencies: SessionRouteDependencies) {
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const sessionId = context.req.param('sessionId') ?? '';
    if (!sessionIdPattern.test(sessionId)) {
      return context.json(
        {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'sessionId must be a Claude Code session id (letters, digits, - _ . :)',
          },
        },
        400,
      );
    }
    const remembered = dependencies.sessions.get(sessionId);
    const info: SessionInfo = {
      sessionId,
      last: remembered
        ? {
            provider: remembered.last.provider,
            model: remembered.last.model,
            route: remembered.last.reason,
            at: new Date(remembered.last.at).toISOString(),
          }
        : null,
      requests: remembered?.requests ?? 0,
      inputTokens: remembered?.inputTokens ?? 0,
      outputTokens: remembered?.outputTokens ?? 0,
      costUsd: null,
      unpricedRequests: 0,
      totalsFrom: 'memory',
      warnings: describeWarnings(dependencies),
    };
    const tracker = dependencies.getUsageTracker();
    if (tracker) {
      try {
        const { totals } = await tracker.getStats(undefined, { sessionId });
        Object.assign(info, {
          requests: totals.requests,
          inputTokens: totals.inputTokens,
          outputTokens: totals.outputTokens,
          costUsd: totals.costUsd,
          unpricedRequests: totals.unpricedRequests,
          totalsFrom: 'ledger',
        });
      } catch {
        info.warnings.push('usage ledger unavailable');
      }
    }
    return context.json(info);
  };
}
