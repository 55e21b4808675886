import { describe, expect, it } from '@jest/globals';
import {
  ConduitError,
  ConfigError,
  InvalidRequestError,
  NoRouteError,
  ProviderAPIError,
} from '@conduit/core';
import { HTTPException } from 'hono/http-exception';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ForbiddenOriginError } from '../errors/forbidden-origin-error.js';
import { RequestTooLargeError } from '../errors/request-too-large-error.js';
import { ShuttingDownError } from '../errors/shutting-down-error.js';
import { mapError, mapStatusToErrorType } from './map-error.js';

/** An error class the server does not know, as `@conduit/plugins` or `@conduit/monitoring` throw. */
class OtherPackageError extends ConduitError {
  constructor(message: string, httpStatus: number, errorType?: 'api_error') {
    super({ name: 'OtherPackageError', message, httpStatus, ...(errorType ? { errorType } : {}) });
  }
}

const upstream = (statusCode: number | undefined, failure?: 'timeout') =>
  new ProviderAPIError({ message: 'upstream said no', provider: 'p', statusCode, failure });

describe('mapError', () => {
  it.each<[string, unknown, number, string]>([
    [
      'invalid request',
      new InvalidRequestError({ message: 'max_tokens: required' }),
      400,
      'invalid_request_error',
    ],
    ['oversize body', new RequestTooLargeError({ limitBytes: 10 }), 413, 'request_too_large'],
    [
      'no providers',
      new NoRouteError({ kind: 'no-providers', message: 'add one' }),
      400,
      'invalid_request_error',
    ],
    [
      'no default',
      new NoRouteError({ kind: 'no-default', message: 'set default' }),
      400,
      'invalid_request_error',
    ],
    [
      'unknown provider',
      new NoRouteError({ kind: 'unknown-provider', message: 'x' }),
      404,
      'not_found_error',
    ],
    [
      'unknown model',
      new NoRouteError({ kind: 'unknown-model', message: 'x' }),
      404,
      'not_found_error',
    ],
    ['upstream 400', upstream(400), 400, 'invalid_request_error'],
    ['upstream 401', upstream(401), 401, 'authentication_error'],
    ['upstream 403', upstream(403), 403, 'permission_error'],
    ['upstream 404', upstream(404), 404, 'not_found_error'],
    ['upstream 413', upstream(413), 413, 'request_too_large'],
    ['upstream 422', upstream(422), 422, 'invalid_request_error'],
    ['upstream 429', upstream(429), 429, 'rate_limit_error'],
    ['upstream 500', upstream(500), 500, 'api_error'],
    ['upstream 502', upstream(502), 502, 'api_error'],
    ['upstream 503', upstream(503), 503, 'overloaded_error'],
    ['upstream 529', upstream(529), 529, 'overloaded_error'],
    ['upstream unreachable', upstream(undefined), 502, 'api_error'],
    ['upstream timeout', upstream(undefined, 'timeout'), 504, 'timeout_error'],
    ['upstream unreadable 200', upstream(200), 502, 'api_error'],
    [
      'config error',
      new ConfigError({ issues: [{ path: 'x', message: 'bad' }] }),
      500,
      'api_error',
    ],
    ['hono 413', new HTTPException(413), 413, 'request_too_large'],
    ['unknown error', new Error('secret internals at /home/x'), 500, 'api_error'],
  ])('%s', (_name, error, status, type) => {
    const mapped = mapError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.type).toBe('error');
    expect(mapped.body.error.type).toBe(type);
  });

  it.each<[string, unknown, number, string]>([
    ['a plugin refusal', new OtherPackageError('not allowed', 403), 403, 'permission_error'],
    [
      'a plugin rate limit (Synapse budgets)',
      new OtherPackageError('over budget', 429),
      429,
      'rate_limit_error',
    ],
    [
      'a plugin bad request',
      new OtherPackageError('bad header', 400),
      400,
      'invalid_request_error',
    ],
    ['a missing API key', new AuthenticationError({ message: 'key' }), 401, 'authentication_error'],
    [
      'a foreign origin',
      new ForbiddenOriginError({ origin: 'https://x.example' }),
      403,
      'permission_error',
    ],
    ['draining', new ShuttingDownError(), 503, 'overloaded_error'],
    ['no ledger', new OtherPackageError('usage is off', 503, 'api_error'), 503, 'api_error'],
    ['a failing ledger', new OtherPackageError('disk full', 500), 500, 'api_error'],
  ])('maps %s', (_name, error, status, type) => {
    const mapped = mapError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.body.error.type).toBe(type);
    expect(mapped.expected).toBe(true);
    expect(mapped.body.error.message).toBe((error as Error).message);
  });

  it('keeps internals out of unexpected errors', () => {
    const mapped = mapError(new Error('secret internals at /home/x'));
    expect(mapped.body.error.message).not.toContain('secret');
    expect(mapped.expected).toBe(false);
  });

  it.each([
    [400, 'invalid_request_error'],
    [418, 'invalid_request_error'],
    [504, 'timeout_error'],
    [599, 'api_error'],
  ])('status %d → %s', (status, type) => {
    expect(mapStatusToErrorType(status)).toBe(type);
  });
});
