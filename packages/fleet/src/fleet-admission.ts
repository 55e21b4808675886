import { randomUUID } from 'node:crypto';
import {
  type AdmissionInput,
  type BudgetUse,
  type AdmissionSettlement,
  type AdmissionTicket,
  type Logger,
  type RequestAdmission,
  RequestRefusedError,
} from '@conduit/core';
import { computeCost, type PriceResolver } from '@conduit/monitoring';
import { SessionSpendLimits } from './budgets/session-spend-limits.js';
import type { FleetConfig, ScopeLimits } from './fleet-config.js';
import type { KeyAuthenticator } from './key-authenticator.js';
import { isModelAllowed } from './keys/virtual-key.js';
import type { FleetLimiter } from './limits/fleet-limiter.js';
import {
  type LimitReason,
  type LimitScope,
  computeWindows,
  microsPerUsd,
} from './limits/limit-types.js';
import { rateLimitHeaders } from './limits/rate-limit-headers.js';

/** A concurrency lease outlives its request by at most this (a crashed instance's leases expire). */
const leaseMs = 10 * 60_000;

const reasonMessages: Record<LimitReason, string> = {
  requests: 'request rate limit',
  tokens: 'token rate limit',
  concurrency: 'concurrent request limit',
  'budget-daily': 'daily budget',
  'budget-monthly': 'monthly budget',
};

/**
 * The admission hook: checks a routed request against its key's allowed models, then against
 * every limit scope it falls in (its key, its project, its agent, the gateway) in one atomic step,
 * and settles the real tokens and cost when the request ends.
 */
export class FleetAdmission implements RequestAdmission {
  private readonly sessions = new SessionSpendLimits();

  constructor(
    private readonly options: {
      getConfig(): FleetConfig;
      limiter: FleetLimiter;
      authenticator: KeyAuthenticator | undefined;
      prices: PriceResolver;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  async admit(input: AdmissionInput): Promise<AdmissionTicket | undefined> {
    const config = this.options.getConfig();
    const scopes: LimitScope[] = [];
    if (input.principal?.kind === 'virtual-key' && this.options.authenticator) {
      const key = await this.options.authenticator.getKey(input.principal.id);
      if (!key || key.revokedAt) {
        throw new RequestRefusedError({
          statusCode: 401,
          errorType: 'authentication_error',
          message: 'This API key has been revoked.',
          reason: 'revoked',
        });
      }
      const route = `${input.decision.provider},${input.decision.model}`;
      if (!isModelAllowed(key.models, [route, input.decision.model, input.request.model])) {
        throw new RequestRefusedError({
          statusCode: 403,
          errorType: 'permission_error',
          message: `This API key may not use ${route} (allowed: ${key.models.join(', ')}).`,
          reason: 'model-not-allowed',
        });
      }
      scopes.push({
        id: `key:${key.id}`,
        limits: withDefaults(key.limits, config.limits.defaultKey),
      });
    }
    const projectId = stringField(input.metadata.projectId);
    if (projectId && config.limits.projects[projectId]) {
      scopes.push({ id: `project:${projectId}`, limits: config.limits.projects[projectId] });
    }
    const agentId = stringField(input.metadata.agentId);
    if (agentId && config.limits.agents[agentId]) {
      scopes.push({ id: `agent:${agentId}`, limits: config.limits.agents[agentId] });
    }
    if (config.limits.global) scopes.push({ id: 'global', limits: config.limits.global });
    const limited = scopes.filter(scope => Object.keys(scope.limits).length > 0);
    const sessionId = stringField(input.metadata.sessionId ?? input.decision.metadata?.sessionId);
    if (sessionId) this.sessions.remember(sessionId, limited);
    if (limited.length === 0) return undefined;

    const windows = computeWindows((this.options.now ?? Date.now)(), config.windowMs);
    const ticketId = `${input.requestId}:${randomUUID()}`;
    const estimatedTokens = Math.max(0, Math.round(input.estimatedInputTokens));
    const { result, backend } = await this.options.limiter.acquire({
      scopes: limited,
      ticketId,
      estimatedTokens,
      windows,
      leaseMs,
    });
    if (!result.allowed) {
      const scope = limited[result.scopeIndex]!;
      const retryAfter = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new RequestRefusedError({
        statusCode: 429,
        errorType: 'rate_limit_error',
        message: `Rate limited: the ${reasonMessages[result.reason]} of ${describeScope(scope.id)} is reached. Retry after ${retryAfter}s.`,
        headers: { 'retry-after': String(retryAfter), ...limitHeaders(scope, result.reason) },
        reason: result.reason,
      });
    }
    let settled = false;
    return {
      headers: rateLimitHeaders(limited, result.usage, estimatedTokens, windows),
      settle: (settlement: AdmissionSettlement) => {
        if (settled) return;
        settled = true;
        const usage = settlement.usage;
        const actual = usage
          ? usage.input_tokens +
            usage.output_tokens +
            (usage.cache_read_input_tokens ?? 0) +
            (usage.cache_creation_input_tokens ?? 0)
          : 0;
        this.options.limiter
          .settle(backend, {
            scopes: limited,
            ticketId,
            windows,
            tokenDelta: actual - estimatedTokens,
            costMicros: Math.round(this.cost(settlement) * microsPerUsd),
          })
          .catch(error =>
            this.options.logger.warn('fleet: a request could not be settled', {
              message: error instanceof Error ? error.message : String(error),
            }),
          );
      },
    };
  }

  /**
   * The spend limits of a Claude Code session's latest request and how much of each is spent
   * (`ServerExtension.sessionBudgets`); reads counters, reserves and counts nothing.
   */
  readSessionBudgets(sessionId: string): Promise<BudgetUse[]> {
    const windows = computeWindows(
      (this.options.now ?? Date.now)(),
      this.options.getConfig().windowMs,
    );
    return this.sessions.read(sessionId, this.options.limiter, windows);
  }

  private cost(settlement: AdmissionSettlement): number {
    const usage = settlement.usage;
    if (!usage || !settlement.servedBy) return 0;
    const price = this.options.prices.resolve(
      settlement.servedBy.provider,
      settlement.servedBy.model,
    );
    if (!price) return 0;
    return computeCost(
      {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
      },
      price.price,
    );
  }
}

function withDefaults(own: ScopeLimits, defaults: ScopeLimits | undefined): ScopeLimits {
  return Object.keys(own).length > 0 || !defaults ? own : defaults;
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function describeScope(id: string): string {
  if (id === 'global') return 'this gateway';
  const [kind, ...rest] = id.split(':');
  const name = rest.join(':');
  return kind === 'key' ? `API key ${name}` : `${kind} "${name}"`;
}

function limitHeaders(scope: LimitScope, reason: LimitReason): Record<string, string> {
  if (reason === 'requests' && scope.limits.rpm) {
    return {
      'anthropic-ratelimit-requests-limit': String(scope.limits.rpm),
      'anthropic-ratelimit-requests-remaining': '0',
    };
  }
  if (reason === 'tokens' && scope.limits.tpm) {
    return {
      'anthropic-ratelimit-tokens-limit': String(scope.limits.tpm),
      'anthropic-ratelimit-tokens-remaining': '0',
    };
  }
  return {};
}
