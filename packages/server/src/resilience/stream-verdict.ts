import type { UpstreamCallResult } from '../gateway/upstream-call.js';
import type { TimedStreamEnd } from './timed-stream.js';

/**
 * Error types a stream can end with that say something about the client's request, not the
 * target's health (as a 400, 401 or 404 status says nothing to the circuit breaker either).
 */
const clientErrorTypes = new Set([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
]);

/**
 * The circuit breaker's verdict on a streamed answer, once it is over: `failure` when the upstream
 * failed after the first frame (a cut connection, an idle or total timeout, or an `error` event
 * such as `overloaded_error` that the adapter reports in the outcome), `success` when it ended
 * cleanly, `none` when the client went away (that says nothing about the target).
 */
export function judgeStreamEnd(
  end: TimedStreamEnd,
  result: UpstreamCallResult,
  clientGone: boolean,
): 'success' | 'failure' | 'none' {
  if (end === 'cancelled' || clientGone) return 'none';
  if (end === 'failed') return 'failure';
  if (result.kind !== 'stream') return 'success';
  let errorType: string | undefined;
  try {
    errorType = result.getOutcome().errorType;
  } catch {
    return 'success';
  }
  return errorType !== undefined && !clientErrorTypes.has(errorType) ? 'failure' : 'success';
}
