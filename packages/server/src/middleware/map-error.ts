import { type AnthropicErrorBody, ConduitError, mapStatusToErrorType } from '@conduit/core';
import { HTTPException } from 'hono/http-exception';

export { mapStatusToErrorType };

/** An error as the client sees it. */
export interface MappedError {
  status: number;
  body: AnthropicErrorBody;
  /** False for Conduit's own bugs: those are logged, with the stack, server-side only. */
  expected: boolean;
}

function envelope(status: number, message: string, expected = true): MappedError {
  return {
    status,
    body: { type: 'error', error: { type: mapStatusToErrorType(status), message } },
    expected,
  };
}

/**
 * Every error → Anthropic's `{"type":"error","error":{type,message}}` and a status. Any
 * `ConduitError`, from whichever package, carries its own `httpStatus` and `errorType` (core's
 * errors document their choices: no route → 400 or 404, upstream errors keep the upstream status,
 * timeouts 504, unreachable upstreams 502, plugin refusals the status the plugin chose, …), so
 * this edge maps it without knowing its class. Hono's `HTTPException` keeps its status; anything
 * else is Conduit's own bug → 500 `api_error` with a generic message (no stack, no internals).
 */
export function mapError(error: unknown): MappedError {
  if (ConduitError.isInstance(error)) {
    // An error from an older copy of core has no status: treat it as the internal error it is.
    const status = typeof error.httpStatus === 'number' ? error.httpStatus : 500;
    return {
      status,
      body: {
        type: 'error',
        error: { type: error.errorType ?? mapStatusToErrorType(status), message: error.message },
      },
      expected: true,
    };
  }
  if (error instanceof HTTPException) {
    if (error.status === 413) return envelope(413, 'The request body is too large.');
    return envelope(error.status, error.message || 'Request failed.');
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return envelope(504, 'The upstream request timed out.');
  }
  return envelope(500, 'Conduit hit an internal error while handling this request.', false);
}
