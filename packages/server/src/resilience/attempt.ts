import type { ParsedConduitConfig, ProviderAPIError } from '@conduit/core';
import type { UpstreamTarget } from '../gateway/gateway-snapshot.js';
import type {
  UpstreamCall,
  UpstreamCallInput,
  UpstreamCallResult,
} from '../gateway/upstream-call.js';
import { createAttemptInput, requestAbortOf } from '../gateway/request-abort.js';
import { createAttemptAbort } from './abort-race.js';
import { judgeArrivedStream, probeFirstFrame } from './first-frame-probe.js';
import type { ResilienceClock } from './resilience-clock.js';
import { createUpstreamTimeoutError } from './resilience-errors.js';
import { createTimedSource, type TimedStreamEnd } from './timed-stream.js';
import { openResultSource, replaceStreamSource } from '../streaming/byte-source-stream.js';
import { hasArrived, readArrived, replayByteSource } from '../upstream/arrived-byte-source.js';

/** One call of one target with one key, under the first-byte, idle and total timeouts. */
export interface AttemptOptions {
  next: UpstreamCall;
  input: UpstreamCallInput;
  target: UpstreamTarget;
  keyIndex: number | undefined;
  clock: ResilienceClock;
  /** Absolute end of the request's budget (clock ms) and its length. */
  requestDeadline: number;
  requestTotalMs: number;
  /** `resilience.timeouts`; the target provider's `timeouts` override them. */
  timeouts: ParsedConduitConfig['resilience']['timeouts'];
  /**
   * Called once when a streamed answer is over (the circuit breaker's verdict on a stream waits
   * for its end, so a failure after the first frame counts too). `result` is the attempt's answer.
   */
  onStreamEnd?(end: TimedStreamEnd, result: UpstreamCallResult): void;
}

/** A provider without `timeouts` (shared: an empty object per attempt is garbage). */
const noOverrides: NonNullable<UpstreamTarget['provider']['timeouts']> = {};

/**
 * Runs one attempt. It resolves once the answer is safe to commit to: a JSON body, or a stream
 * whose first complete frame arrived and is not a transient error. Until then a timer enforces
 * the time to first byte (or the remaining total budget, when shorter) by aborting the upstream
 * request; afterwards the returned stream enforces the idle and total timeouts itself.
 * @throws ProviderAPIError for upstream failures and timeouts; the client's abort reason when the
 * client went away.
 */
export async function runAttempt(options: AttemptOptions): Promise<UpstreamCallResult> {
  const { input, target, clock } = options;
  const overrides = target.provider.timeouts ?? noOverrides;
  const firstByteMs = overrides.firstByteMs ?? options.timeouts.firstByteMs;
  const idleMs = overrides.idleMs ?? options.timeouts.idleMs;
  const startedAt = clock.now();
  // A provider's own `totalMs` bounds its attempts inside the request's budget.
  const providerDeadline =
    overrides.totalMs === undefined ? Number.POSITIVE_INFINITY : startedAt + overrides.totalMs;
  const deadline = Math.min(options.requestDeadline, providerDeadline);
  const totalMs =
    deadline === options.requestDeadline ? options.requestTotalMs : (overrides.totalMs ?? 0);
  const describe = { provider: target.provider.name, model: target.model };

  // The request's own abort when the input is the route's: its signal is then never built.
  const attempt = createAttemptAbort(requestAbortOf(input) ?? input.signal);
  const remaining = Math.max(0, deadline - startedAt);
  const firstByteKind = firstByteMs <= remaining ? 'first byte' : 'total';
  const cancelFirstByteTimer = clock.setTimer(
    () =>
      attempt.abort(
        createUpstreamTimeoutError({
          target: describe,
          kind: firstByteKind,
          timeoutMs: firstByteKind === 'first byte' ? firstByteMs : totalMs,
        }),
      ),
    Math.min(firstByteMs, remaining),
  );
  const pending = options.next(
    createAttemptInput(input, { target, keyIndex: options.keyIndex, signal: attempt.signal }),
  );
  try {
    const result = await attempt.race(pending);
    if (result.kind === 'json') {
      cancelFirstByteTimer();
      attempt.dispose();
      return result;
    }
    // The bytes are read without a web stream when the adapter offers them so (see
    // `createStreamResult`): a short answer then reaches the client stream without any.
    let source = openResultSource(result);
    if (hasArrived(source)) {
      // The whole answer is here: judged as the probe would judge it, with nothing left to time.
      const arrived = await readArrived(source);
      if (!arrived.failure) {
        judgeArrivedStream(arrived.chunks, describe);
        cancelFirstByteTimer();
        attempt.dispose();
        options.onStreamEnd?.('completed', result);
        return replaceStreamSource(result, replayByteSource(arrived.chunks));
      }
      // A failed read goes the usual way, which reports it as it always did.
      source = replayByteSource(arrived.chunks, arrived.failure);
    }
    const probed = await probeFirstFrame(source, {
      target: describe,
      signal: attempt.signal,
      race: promise => attempt.race(promise),
    });
    cancelFirstByteTimer();
    const timed = createTimedSource({
      ...probed,
      idleMs,
      deadline,
      totalMs,
      clock,
      createTimeoutError: (kind, timeoutMs) =>
        createUpstreamTimeoutError({ target: describe, kind, timeoutMs }),
      onTimeout: (error: ProviderAPIError) => attempt.abort(error),
      onSettled: end => {
        attempt.dispose();
        options.onStreamEnd?.(end, result);
      },
    });
    return replaceStreamSource(result, timed);
  } catch (error) {
    cancelFirstByteTimer();
    attempt.abort(error);
    attempt.dispose();
    // An answer that arrives after the attempt was given up must not hold a connection open.
    pending.then(
      late => {
        if (late.kind === 'stream') cancelStream(late, error);
      },
      () => undefined,
    );
    throw error;
  }
}

/** Cancels a streamed answer nobody will read (a probed one is cancelled again, harmlessly). */
function cancelStream(result: UpstreamCallResult & { kind: 'stream' }, reason: unknown): void {
  try {
    const cancelled = result.openStreamSource
      ? result.openStreamSource().getReader().cancel(reason)
      : result.stream.cancel(reason);
    cancelled.catch(() => undefined);
  } catch {
    // A web stream the probe holds (locked): the probe cancels it itself.
  }
}
