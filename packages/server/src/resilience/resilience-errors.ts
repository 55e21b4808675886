import { ProviderAPIError } from '@conduit/core';
import type { CircuitTarget } from './circuit-breaker.js';

const circuitOpenMarker = Symbol.for('conduit.error.CircuitOpenError');
const keysCoolingMarker = Symbol.for('conduit.error.KeysCoolingError');

/**
 * Every target that could serve the request has an open circuit: 503 `overloaded_error`, with a
 * `retry-after` until the first one lets a trial through. A `ProviderAPIError` subclass so the
 * error mapping and client pacing treat it like an upstream 503.
 */
export class CircuitOpenError extends ProviderAPIError {
  private readonly [circuitOpenMarker] = true;
  /** The skipped targets and when each reopens for a trial (ms since the epoch). */
  readonly circuits: ReadonlyArray<CircuitTarget & { retryAt: number }>;

  constructor(options: {
    circuits: ReadonlyArray<CircuitTarget & { retryAt: number }>;
    now: number;
  }) {
    const first = options.circuits[0];
    const soonest = Math.min(...options.circuits.map(circuit => circuit.retryAt));
    const described = options.circuits
      .map(
        circuit =>
          `circuit open for ${circuit.provider},${circuit.model} until ${new Date(circuit.retryAt).toISOString()}`,
      )
      .join('; ');
    super({
      message: `No route can serve this request: ${described}. The upstream failed repeatedly; Conduit retries it automatically after the cooldown.`,
      provider: first?.provider ?? 'unknown',
      model: first?.model,
      statusCode: 503,
      retryAfterMs: Math.max(0, soonest - options.now),
      isRetryable: true,
    });
    this.name = 'CircuitOpenError';
    this.circuits = options.circuits;
  }

  static override isInstance(error: unknown): error is CircuitOpenError {
    return (
      error != null &&
      typeof error === 'object' &&
      (error as Record<symbol, unknown>)[circuitOpenMarker] === true
    );
  }
}

/**
 * Every key of a provider is cooling down after 429/401 answers and `resilience.allKeysCooling` is
 * `fail`: 429 `rate_limit_error` with a `retry-after` until the first key recovers.
 */
export class KeysCoolingError extends ProviderAPIError {
  private readonly [keysCoolingMarker] = true;

  constructor(options: { provider: string; model: string; availableAt: number; now: number }) {
    super({
      message: `Every API key of provider "${options.provider}" is cooling down after rate limits or authentication failures, until ${new Date(options.availableAt).toISOString()} ("resilience.allKeysCooling" is "fail").`,
      provider: options.provider,
      model: options.model,
      statusCode: 429,
      retryAfterMs: Math.max(0, options.availableAt - options.now),
      isRetryable: true,
    });
    this.name = 'KeysCoolingError';
  }

  static override isInstance(error: unknown): error is KeysCoolingError {
    return (
      error != null &&
      typeof error === 'object' &&
      (error as Record<symbol, unknown>)[keysCoolingMarker] === true
    );
  }
}

/** The upstream took longer than a configured timeout: 504 `timeout_error` (retryable). */
export function createUpstreamTimeoutError(options: {
  target: CircuitTarget;
  kind: 'first byte' | 'idle' | 'total';
  timeoutMs: number;
}): ProviderAPIError {
  const what =
    options.kind === 'first byte'
      ? `sent no response within ${options.timeoutMs} ms`
      : options.kind === 'idle'
        ? `sent nothing for ${options.timeoutMs} ms in the middle of the response`
        : `did not finish within the total timeout of ${options.timeoutMs} ms`;
  return new ProviderAPIError({
    message: `Provider "${options.target.provider}" (model ${options.target.model}) ${what}.`,
    provider: options.target.provider,
    model: options.target.model,
    failure: 'timeout',
    isRetryable: true,
  });
}
