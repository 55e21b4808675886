import type {
  BudgetUse,
  HealthReport,
  RequestObserver,
  RequestRecord,
  ServerRoute,
  SessionMemory,
} from '@conduit/core';
import type { CircuitStateReport } from '../resilience/circuit-breaker.js';
import type { SessionBudgetReader } from './session-budget-use.js';
import {
  describeLimitSignals,
  type SessionBudgetState,
  type SessionLimitMemory,
  type SessionRefusal,
} from './session-limits.js';

export type { SessionBudgetState, SessionRefusal } from './session-limits.js';

/**
 * `GET /api/sessions/:sessionId`: what the gateway remembers about one Claude Code session since
 * it started (`conduit statusline` adds the ledger's totals and cost from
 * `GET /api/usage?sessionId=`, which `@conduit/monitoring` serves).
 */
export interface SessionInfo {
  sessionId: string;
  /** The route that served the session's last finished request; null when none since start. */
  last: { provider: string; model: string; route: string; at: string } | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Budgets the session's last request ran into (Synapse's downgrade), spend over limit. */
  budgets: SessionBudgetState[];
  /**
   * Every budget that applied to the session's last request and how much of it is spent, read
   * without reserving anything (Synapse budgets, fleet spend limits); the status line marks those
   * near their limit.
   */
  budgetUse: BudgetUse[];
  /** The session's last request was refused with a 429 (a budget or rate limit); else null. */
  refused: SessionRefusal | null;
  /**
   * Open circuits, the budgets and refusal above, and failing health checks (budgets, storage),
   * one short line each.
   */
  warnings: string[];
}

export interface SessionRouteDependencies {
  sessions: SessionMemory;
  getCircuitStates(): CircuitStateReport[];
  getHealthChecks(): HealthReport['checks'];
  /** Budget and limit signals of each session's last request (fed by the session observer). */
  limits?: SessionLimitMemory;
  /** The extensions' budgets for a session (`ServerExtension.sessionBudgets`). */
  readBudgetUse?: SessionBudgetReader;
}

const sessionIdPattern = /^[A-Za-z0-9_.:-]{1,200}$/;

/** Feeds finished requests that carry a session id into `sessions` (and `limits`). */
export function createSessionObserver(
  sessions: SessionMemory,
  limits?: SessionLimitMemory,
): RequestObserver {
  return {
    onRequestComplete(record: RequestRecord) {
      const sessionId = record.metadata.sessionId;
      if (typeof sessionId !== 'string') return;
      limits?.record(sessionId, record);
      if (!record.servedBy || !record.decision || !record.usage) return;
      const usage = record.usage;
      sessions.recordTurn(sessionId, {
        provider: record.servedBy.provider,
        model: record.servedBy.model,
        reason: String(record.decision.reason),
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        contextTokens:
          usage.input_tokens +
          (usage.cache_read_input_tokens ?? 0) +
          (usage.cache_creation_input_tokens ?? 0),
        at: Date.now(),
      });
    },
  };
}

function describeWarnings(
  dependencies: SessionRouteDependencies,
  limitWarnings: string[],
): string[] {
  const warnings = dependencies
    .getCircuitStates()
    .filter(circuit => circuit.state === 'open')
    .map(circuit => `circuit open: ${circuit.provider},${circuit.model}`);
  warnings.push(...limitWarnings);
  for (const check of dependencies.getHealthChecks()) {
    if (check.status === 'degraded' || check.status === 'unhealthy')
      warnings.push(`${check.name}: ${check.message ?? check.status}`);
  }
  return warnings;
}

/** `GET /api/sessions/:sessionId` (a 400 for an id that is not one). */
export function createSessionRoute(dependencies: SessionRouteDependencies): ServerRoute {
  return {
    method: 'GET',
    path: '/api/sessions/:sessionId',
    handler: async request => {
      const sessionId = decodeURIComponent(
        new URL(request.url).pathname.slice('/api/sessions/'.length),
      );
      if (!sessionIdPattern.test(sessionId)) {
        return Response.json(
          {
            type: 'error',
            error: {
              type: 'invalid_request_error',
              message: 'sessionId must be a Claude Code session id (letters, digits, - _ . :)',
            },
          },
          { status: 400 },
        );
      }
      const remembered = dependencies.sessions.get(sessionId);
      const limits = dependencies.limits?.get(sessionId) ?? { budgets: [], refused: null };
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
        budgets: limits.budgets,
        budgetUse: (await dependencies.readBudgetUse?.(sessionId)) ?? [],
        refused: limits.refused,
        warnings: describeWarnings(dependencies, describeLimitSignals(limits)),
      };
      return Response.json(info);
    },
  };
}
