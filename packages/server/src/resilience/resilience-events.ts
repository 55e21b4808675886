import type { CircuitState, CircuitTarget } from './circuit-breaker.js';

/** A failed attempt, without secrets (keys appear as their index in the pool). */
export interface AttemptFailure {
  /** Upstream HTTP status, when there was one. */
  status?: number;
  failure: 'http' | 'connection' | 'timeout';
  message: string;
}

/** A retry of the same target is about to wait `delayMs`. */
export interface RetryEvent {
  target: CircuitTarget;
  /** The attempt that failed (1 = the first call of this target). */
  attempt: number;
  delayMs: number;
  keyIndex?: number;
  error: AttemptFailure;
}

/** The chain moves on from `from` to `to`. */
export interface FallbackEvent {
  from: CircuitTarget;
  to: CircuitTarget;
  /** `failed`: retries exhausted or timed out; `circuit-open`: `from` was skipped. */
  reason: 'failed' | 'circuit-open';
}

/** A key got 401/429 and cools down. */
export interface KeyCooldownEvent {
  provider: string;
  keyIndex: number;
  status: number;
  /** When the key is usable again (ms since the epoch). */
  availableAt: number;
}

/**
 * Hooks for observers (metrics, logs). Called synchronously; exceptions they throw are swallowed
 * so an observer can never break a request. Feed `@conduit/monitoring` with
 * `onCircuitStateChange: (target, state) => metrics.setCircuitState(target.provider, target.model, state)`.
 */
export interface ResilienceEvents {
  onCircuitStateChange?(target: CircuitTarget, state: CircuitState): void;
  onRetry?(event: RetryEvent): void;
  onFallback?(event: FallbackEvent): void;
  onKeyCooldown?(event: KeyCooldownEvent): void;
}
