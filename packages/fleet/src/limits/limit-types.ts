import type { ScopeLimits } from '../fleet-config.js';

/** One set of limits a request counts against: `key:<id>`, `project:<id>`, `agent:<id>`, `global`. */
export interface LimitScope {
  id: string;
  limits: ScopeLimits;
}

/** Why a request was refused. */
export type LimitReason = 'requests' | 'tokens' | 'concurrency' | 'budget-daily' | 'budget-monthly';

/** The windows a check runs in, computed once per request (all epoch ms). */
export interface LimitWindows {
  now: number;
  windowMs: number;
  /** Index of the current rpm/tpm window (`floor(now / windowMs)`). */
  window: number;
  windowEnd: number;
  /** UTC day and month labels, and when they end. */
  day: string;
  dayEnd: number;
  month: string;
  monthEnd: number;
}

export interface AcquireRequest {
  scopes: LimitScope[];
  /** Unique per request (the concurrency lease). */
  ticketId: string;
  estimatedTokens: number;
  windows: LimitWindows;
  /** How long a concurrency lease lives if never released (a crashed instance). */
  leaseMs: number;
}

/** Counts per scope before this request, for the rate-limit headers. */
export interface ScopeUsage {
  requests: number;
  tokens: number;
}

export type AcquireResult =
  | { allowed: true; usage: ScopeUsage[] }
  | {
      allowed: false;
      reason: LimitReason;
      /** Index into the request's scopes. */
      scopeIndex: number;
      retryAfterMs: number;
    };

/** What a finished request adds: the token correction and its cost. */
export interface Settlement {
  scopes: LimitScope[];
  ticketId: string;
  windows: LimitWindows;
  /** Actual minus estimated tokens (may be negative). */
  tokenDelta: number;
  /** Cost in micro-USD (integer, so counters add exactly). */
  costMicros: number;
}

/** Where limit counters live: this process, or Redis for every instance. */
export interface LimitBackend {
  readonly kind: 'local' | 'redis';
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  settle(settlement: Settlement): Promise<void>;
  /** Adds spend seen elsewhere (reconciliation after a Redis outage). */
  addSpend(scopeId: string, windows: LimitWindows, costMicros: number): Promise<void>;
  /**
   * Sets the day's and month's spend of a scope from the ledger, only where no counter exists yet
   * (first use after a restart, or after Redis lost its data); existing counters win.
   */
  seedSpend(scopeId: string, windows: LimitWindows, spend: SeedSpend): Promise<void>;
  /** The day's and month's spend of a scope (0 where no counter exists); changes nothing. */
  readSpend(scopeId: string, windows: LimitWindows): Promise<SeedSpend>;
}

/** Spend of a scope for the current day and month, in micro-USD. */
export interface SeedSpend {
  dayMicros: number;
  monthMicros: number;
}

/** The windows at `now`. */
export function computeWindows(now: number, windowMs: number): LimitWindows {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const pad = (value: number) => String(value).padStart(2, '0');
  const window = Math.floor(now / windowMs);
  return {
    now,
    windowMs,
    window,
    windowEnd: (window + 1) * windowMs,
    day: `${year}${pad(month + 1)}${pad(day)}`,
    dayEnd: Date.UTC(year, month, day + 1),
    month: `${year}${pad(month + 1)}`,
    monthEnd: Date.UTC(year, month + 1, 1),
  };
}

export const microsPerUsd = 1_000_000;
