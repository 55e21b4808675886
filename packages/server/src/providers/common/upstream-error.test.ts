import { describe, expect, it } from '@jest/globals';
import { ProviderAPIError } from '@conduit/core';
import {
  createUpstreamHTTPError,
  createUpstreamNetworkError,
  extractUpstreamErrorMessage,
  parseRetryAfter,
  redactSecrets,
} from './upstream-error.js';

describe('upstream errors', () => {
  it.each([
    ['{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}', 'slow down'],
    ['{"error":{"message":"bad key","type":"invalid_request_error"}}', 'bad key'],
    ['{"error":"model not found"}', 'model not found'],
    ['{"detail":"Not Found"}', 'Not Found'],
    ['{"message":"oops"}', 'oops'],
    ['<html>502 Bad Gateway</html>', '<html>502 Bad Gateway</html>'],
    ['', 'no error message'],
  ])('extracts the message from %s', (body, expected) => {
    expect(extractUpstreamErrorMessage(body)).toBe(expected);
  });

  it.each([
    ['2', 2000],
    ['0.5', 500],
    [null, undefined],
    ['soon', undefined],
    ['Thu, 01 Jan 1970 00:00:10 GMT', 5000],
  ])('parses retry-after %s', (value, expected) => {
    expect(parseRetryAfter(value, 5000)).toBe(expected);
  });

  it('redacts secrets', () => {
    expect(redactSecrets('key sk-secret-1 rejected sk-secret-1', ['sk-secret-1', undefined])).toBe(
      'key [redacted] rejected [redacted]',
    );
  });

  it('builds a retryable ProviderAPIError from a 429 without leaking the key', async () => {
    const response = new Response('{"error":{"message":"Incorrect key sk-live-abc"}}', {
      status: 429,
      headers: { 'retry-after': '3' },
    });
    const error = await createUpstreamHTTPError({
      response,
      provider: 'ds',
      model: 'deepseek-chat',
      url: 'https://api.example.com/chat?key=1',
      apiKey: 'sk-live-abc',
    });
    expect(error).toBeInstanceOf(ProviderAPIError);
    expect(error).toMatchObject({
      statusCode: 429,
      isRetryable: true,
      retryAfterMs: 3000,
      url: 'https://api.example.com/chat',
      failure: 'http',
    });
    expect(error.message).toBe(
      'Provider "ds" (model deepseek-chat) returned HTTP 429: Incorrect key [redacted]',
    );
    expect(error.responseBody).not.toContain('sk-live-abc');
  });

  it('classifies network failures and passes client aborts through', () => {
    const live = new AbortController();
    const refused = createUpstreamNetworkError({
      error: new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }),
      provider: 'p',
      model: 'm',
      url: 'http://127.0.0.1:1/v1',
      signal: live.signal,
    }) as ProviderAPIError;
    expect(refused).toMatchObject({ failure: 'connection', isRetryable: true });
    expect(refused.message).toBe(
      'Could not reach provider "p" (model m) at http://127.0.0.1:1 (ECONNREFUSED).',
    );
    const timeout = createUpstreamNetworkError({
      error: Object.assign(new Error('t'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      provider: 'p',
      model: 'm',
      url: 'http://h',
      signal: live.signal,
    }) as ProviderAPIError;
    expect(timeout.failure).toBe('timeout');
    const aborted = new AbortController();
    const reason = new Error('client gone');
    aborted.abort(reason);
    expect(
      createUpstreamNetworkError({
        error: new Error('x'),
        provider: 'p',
        model: 'm',
        url: 'http://h',
        signal: aborted.signal,
      }),
    ).toBe(reason);
  });
});
