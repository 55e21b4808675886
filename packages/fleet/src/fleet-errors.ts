import { RequestRefusedError } from '@conduit/core';

/**
 * A refusal because state the fleet needs (the key store, the shared Redis) cannot be reached:
 * 503 `overloaded_error` with `retry-after: 1`, so clients retry shortly (elsewhere, behind a
 * load balancer).
 */
export function stateUnavailable(message: string, reason: string): RequestRefusedError {
  return new RequestRefusedError({
    statusCode: 503,
    errorType: 'overloaded_error',
    message,
    headers: { 'retry-after': '1' },
    reason,
  });
}
