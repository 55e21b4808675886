import {
  type ParsedConduitConfig,
  type Logger,
  NoRouteError,
  ProviderAPIError,
  silentLogger,
} from '@conduit/core';
import type { UpstreamTarget } from '../gateway/gateway-snapshot.js';
import type {
  UpstreamCallInput,
  UpstreamCallResult,
  UpstreamCallWrapper,
} from '../gateway/upstream-call.js';
import { isRequestAborted } from '../gateway/request-abort.js';
import { runAttempt } from './attempt.js';
import { recordAttempts } from './attempt-count.js';
import { computeRetryDelay } from './backoff.js';
import { CircuitBreakerRegistry, type CircuitStateReport } from './circuit-breaker.js';
import { listFallbackRoutes, resolveTotalTimeoutMs } from './fallback-routes.js';
import { KeyPool } from './key-pool.js';
import { type ResilienceClock, systemClock } from './resilience-clock.js';
import { CircuitOpenError, KeysCoolingError } from './resilience-errors.js';
import type { AttemptFailure, ResilienceEvents } from './resilience-events.js';
import { judgeStreamEnd } from './stream-verdict.js';
import { extendResult } from '../streaming/byte-source-stream.js';

/** Options of {@link createResilienceLayer}. */
export interface ResilienceLayerOptions {
  /** The config serving new requests (`resilience`, `fallback`, timeouts, provider keys). */
  getConfig(): ParsedConduitConfig;
  events?: ResilienceEvents;
  /** Injected time (tests); default the system clock. */
  clock?: ResilienceClock;
  /** Uniform in [0, 1) for backoff jitter (tests); default `Math.random`. */
  random?: () => number;
  logger?: Logger;
}

/** Retries, fallback chains, key pools, circuit breakers and timeouts around the upstream call. */
export interface ResilienceLayer {
  /** The `UpstreamCallWrapper` to install (`ConduitServerOptions` installs it by default). */
  wrap: UpstreamCallWrapper;
  /** Every circuit that has seen a failure, with its state. */
  getCircuitStates(): CircuitStateReport[];
  /** Opens a circuit another instance opened, until `openUntil` (epoch ms). */
  openCircuit(target: { provider: string; model: string }, openUntil: number): void;
  /** Closes a circuit another instance closed (its trial request succeeded). */
  closeCircuit(target: { provider: string; model: string }): void;
  /** Cools a provider key another instance saw refused (429/401), until `availableAt`. */
  coolDownKey(cooldown: { provider: string; keyIndex: number; availableAt: number }): void;
}

/**
 * Creates the resilience layer. Per request it walks the chain `[routed target, its own
 * fallback["provider,model"] list, fallback[scenario]]`:
 * - a target whose circuit is open is skipped (if every target is skipped: 503 `overloaded_error`);
 * - each target gets up to `retry.maxAttempts` attempts on retryable failures (408/409/429/5xx,
 *   connection errors, timeouts, a stream that fails before its first frame), paced by
 *   exponential backoff with full jitter or the upstream's `retry-after`, never past the total
 *   deadline; then the chain moves on;
 * - a 401 rotates to the provider's next key at once; non-retryable errors (400, 401 with every
 *   key tried, 404, …) are returned as they are, without fallback;
 * - keys rotate round-robin; a key answered 429/401 cools down for `keyCooldownMs` (a 429's
 *   `retry-after` when given).
 * All of it happens before the first byte goes to the client. A stream's verdict for the circuit
 * breaker waits for its end, so an upstream failing mid-stream counts as a failure. The served
 * response carries `x-conduit-attempts` (an error response too, through `attemptsOf(error)`), and
 * `x-conduit-fallback: <primary provider,model>` when a fallback served.
 *
 * @example
 * ```ts
 * const resilience = createResilienceLayer({ getConfig: () => config });
 * const call = resilience.wrap(createUpstreamCall({ getFetch, logger }));
 * ```
 */
export function createResilienceLayer(options: ResilienceLayerOptions): ResilienceLayer {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const events = options.events ?? {};
  const emit = <Name extends keyof ResilienceEvents>(
    name: Name,
    ...args: Parameters<NonNullable<ResilienceEvents[Name]>>
  ) => {
    try {
      (events[name] as ((...values: unknown[]) => void) | undefined)?.(...args);
    } catch (error) {
      logger.warn('resilience event handler failed', {
        event: name,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  const breakers = new CircuitBreakerRegistry({
    now: clock.now,
    onStateChange: (target, state) => {
      logger.info('circuit state changed', {
        provider: target.provider,
        model: target.model,
        state,
      });
      emit('onCircuitStateChange', target, state);
    },
  });
  const keys = new KeyPool({ now: clock.now });

  const wrap: UpstreamCallWrapper = next => async input => {
    const attempted = { count: 0 };
    try {
      return await callWithResilience(next, input, attempted);
    } catch (error) {
      recordAttempts(error, attempted.count);
      throw error;
    }
  };

  const callWithResilience = async (
    next: Parameters<UpstreamCallWrapper>[0],
    input: UpstreamCallInput,
    attempted: { count: number },
  ): Promise<UpstreamCallResult> => {
    const config = options.getConfig();
    const settings = config.resilience;
    const totalMs = resolveTotalTimeoutMs(config);
    const deadline = clock.now() + totalMs;
    const chain = resolveChain(input, config, logger);
    const primary = chain[0]!;
    const skipped: Array<{ provider: string; model: string; retryAt: number }> = [];
    let lastError: ProviderAPIError | undefined;

    for (const [position, target] of chain.entries()) {
      const circuitTarget = describeTarget(target);
      if (clock.now() >= deadline) break;
      if (position > 0) {
        emit('onFallback', {
          from: describeTarget(chain[position - 1]!),
          to: circuitTarget,
          reason: skipped.some(item => sameTarget(item, describeTarget(chain[position - 1]!)))
            ? 'circuit-open'
            : 'failed',
        });
      }
      const permit = breakers.acquire(circuitTarget, settings.circuitBreaker);
      if (!permit.allowed) {
        skipped.push({ ...circuitTarget, retryAt: permit.retryAt });
        continue;
      }
      const rejectedKeys = new Set<number>();
      let failedAttempts = 0;
      try {
        while (clock.now() < deadline) {
          const key = keys.choose(target.provider, rejectedKeys);
          if (key.cooling && settings.allKeysCooling === 'fail') {
            lastError = new KeysCoolingError({
              provider: target.provider.name,
              model: target.model,
              availableAt: key.availableAt,
              now: clock.now(),
            });
            break;
          }
          attempted.count++;
          try {
            const result = await runAttempt({
              next,
              input,
              target,
              keyIndex: key.index,
              clock,
              requestDeadline: deadline,
              requestTotalMs: totalMs,
              timeouts: settings.timeouts,
              onStreamEnd: (end, streamed) => {
                const verdict = judgeStreamEnd(end, streamed, isRequestAborted(input));
                if (verdict === 'success') breakers.recordSuccess(circuitTarget);
                else if (verdict === 'failure') {
                  breakers.recordFailure(circuitTarget, settings.circuitBreaker);
                }
              },
            });
            // A stream's verdict waits for its end, so a failure after the first frame counts.
            // A half-open trial closes on its first frame: holding the trial for a stream's
            // minutes would keep every other request off the recovered target meanwhile.
            if (result.kind === 'json' || permit.trial) breakers.recordSuccess(circuitTarget);
            return decorate(result, attempted.count, primary);
          } catch (error) {
            if (isRequestAborted(input) || !ProviderAPIError.isInstance(error)) throw error;
            lastError = error;
            failedAttempts++;
            const status = error.statusCode;
            if ((status === 429 || status === 401) && key.index !== undefined) {
              const cooldownMs =
                status === 429
                  ? (error.retryAfterMs ?? settings.keyCooldownMs)
                  : settings.keyCooldownMs;
              keys.coolDown(target.provider, key.index, cooldownMs);
              emit('onKeyCooldown', {
                provider: target.provider.name,
                keyIndex: key.index,
                status,
                availableAt: clock.now() + cooldownMs,
              });
            }
            if (status === 401 && key.index !== undefined) {
              rejectedKeys.add(key.index);
              if (keys.hasAvailableKey(target.provider, rejectedKeys)) continue;
              throw error;
            }
            if (!error.isRetryable) throw error;
            breakers.recordFailure(circuitTarget, settings.circuitBreaker);
            if (breakers.isOpen(circuitTarget)) break;
            if (failedAttempts >= settings.retry.maxAttempts) break;
            const otherKeyReady =
              status === 429 && keys.hasAvailableKey(target.provider, rejectedKeys);
            const delayMs = otherKeyReady
              ? 0
              : computeRetryDelay({
                  retryNumber: failedAttempts,
                  settings: settings.retry,
                  retryAfterMs: error.retryAfterMs,
                  random: options.random,
                });
            // No time left to wait: a fallback target may still fit in the budget.
            if (clock.now() + delayMs >= deadline) break;
            const failure = summarize(error);
            logger.debug('retrying upstream call', {
              provider: circuitTarget.provider,
              model: circuitTarget.model,
              attempt: failedAttempts,
              delayMs,
              keyIndex: key.index,
              status: failure.status,
              failure: failure.failure,
            });
            emit('onRetry', {
              target: circuitTarget,
              attempt: failedAttempts,
              delayMs,
              ...(key.index === undefined ? {} : { keyIndex: key.index }),
              error: failure,
            });
            if (delayMs > 0) await clock.sleep(delayMs, input.signal);
          }
        }
      } finally {
        if (permit.trial) breakers.release(circuitTarget);
      }
    }
    if (lastError) throw lastError;
    throw new CircuitOpenError({ circuits: skipped, now: clock.now() });
  };

  return {
    wrap,
    getCircuitStates: () => breakers.getStates(),
    openCircuit: (target, openUntil) => breakers.openUntil(target, openUntil),
    closeCircuit: target => breakers.closeFromPeer(target),
    coolDownKey: ({ provider, keyIndex, availableAt }) => {
      const config = options.getConfig().Providers.find(entry => entry.name === provider);
      if (config) keys.coolDownUntil(config, keyIndex, availableAt);
    },
  };
}

function resolveChain(
  input: UpstreamCallInput,
  config: ParsedConduitConfig,
  logger: Logger,
): UpstreamTarget[] {
  const chain: UpstreamTarget[] = [input.target];
  const routes = listFallbackRoutes({
    primary: describeTarget(input.target),
    decisionFallbacks: input.decision.fallbacks,
    fallbackConfig: config.fallback,
  });
  for (const route of routes) {
    let target: UpstreamTarget;
    try {
      target = input.resolveTarget(route);
    } catch (error) {
      if (!NoRouteError.isInstance(error)) throw error;
      logger.warn('skipping a fallback route that is not configured', { route });
      continue;
    }
    if (!chain.some(existing => sameTarget(describeTarget(existing), describeTarget(target)))) {
      chain.push(target);
    }
  }
  return chain;
}

function decorate(
  result: UpstreamCallResult,
  attempts: number,
  primary: UpstreamTarget,
): UpstreamCallResult {
  // Assigned, not spread: headers added to a spread copy each build a new hidden class in V8
  // (see `responseHeaders` in the messages route, which adds more to this object's copy).
  const headers: Record<string, string> = Object.assign({}, result.responseHeaders);
  headers['x-conduit-attempts'] = String(attempts);
  if (!sameTarget(describeTarget(result.target), describeTarget(primary))) {
    headers['x-conduit-fallback'] = `${primary.provider.name},${primary.model}`;
  }
  // (Not a spread: a lazy `stream` must stay unbuilt, see `createStreamResult`.)
  return extendResult(result, { responseHeaders: headers });
}

function describeTarget(target: UpstreamTarget): { provider: string; model: string } {
  return { provider: target.provider.name, model: target.model };
}

function sameTarget(
  left: { provider: string; model: string },
  right: { provider: string; model: string },
): boolean {
  return left.provider === right.provider && left.model === right.model;
}

function summarize(error: ProviderAPIError): AttemptFailure {
  return {
    ...(error.statusCode === undefined ? {} : { status: error.statusCode }),
    failure: error.failure,
    message: error.message,
  };
}
