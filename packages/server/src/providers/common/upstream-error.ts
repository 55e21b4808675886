import { ProviderAPIError } from '@conduit/core';
import type { UpstreamResponse } from '../../upstream/upstream-response.js';

const maxBodyCharacters = 2000;

/** `retry-after` (seconds or an HTTP date) → milliseconds. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Replaces every occurrence of the given secrets with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/**
 * The human message inside an upstream error body: Anthropic's and OpenAI's `error.message`,
 * `error` as a string, `message`, `detail` (FastAPI/vLLM), or the start of the raw text.
 */
export function extractUpstreamErrorMessage(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as Record<string, unknown>;
    const error = body.error;
    if (typeof error === 'string') return error;
    if (
      error &&
      typeof error === 'object' &&
      typeof (error as { message?: unknown }).message === 'string'
    ) {
      return (error as { message: string }).message;
    }
    if (typeof body.message === 'string') return body.message;
    if (typeof body.detail === 'string') return body.detail;
  } catch {
    // not JSON: use the text
  }
  const text = bodyText.trim().slice(0, 300);
  return text || 'no error message';
}

/** Builds the `ProviderAPIError` for a non-2xx upstream response (reads and truncates the body). */
export async function createUpstreamHTTPError(options: {
  response: UpstreamResponse;
  provider: string;
  model: string;
  url: string;
  apiKey: string | undefined;
  /** Reads a retry delay from the error body when the `retry-after` header is absent. */
  retryAfterFromBody?: (bodyText: string) => number | undefined;
}): Promise<ProviderAPIError> {
  const { response, provider, model, apiKey } = options;
  if (response.status >= 300 && response.status < 400) return upstreamRedirectError(options);
  let bodyText = '';
  try {
    bodyText = await response.text();
  } catch {
    bodyText = '';
  }
  const safeBody = redactSecrets(bodyText.slice(0, maxBodyCharacters), [apiKey]);
  const upstreamMessage = redactSecrets(extractUpstreamErrorMessage(bodyText), [apiKey]);
  return new ProviderAPIError({
    message: `Provider "${provider}" (model ${model}) returned HTTP ${response.status}: ${upstreamMessage}`,
    provider,
    model,
    url: stripQuery(options.url),
    statusCode: response.status,
    responseBody: safeBody,
    retryAfterMs:
      parseRetryAfter(response.headers.get('retry-after')) ??
      options.retryAfterFromBody?.(bodyText),
  });
}

/**
 * Upstream calls never follow redirects (`redirect: 'manual'`): following one would re-send the
 * provider's key (`x-api-key`, `x-goog-api-key`, `Authorization`) to wherever the `Location`
 * points. A redirect is a misconfigured `api_base_url`: a 502 naming where it pointed.
 */
function upstreamRedirectError(options: {
  response: UpstreamResponse;
  provider: string;
  model: string;
  url: string;
}): ProviderAPIError {
  const { response, provider, model } = options;
  void response.body?.cancel().catch(() => undefined);
  const location = response.headers.get('location');
  let target = 'another URL';
  if (location) {
    try {
      target = new URL(location, options.url).origin + new URL(location, options.url).pathname;
    } catch {
      target = 'an invalid URL';
    }
  }
  return new ProviderAPIError({
    message: `Provider "${provider}" (model ${model}) answered HTTP ${response.status}, a redirect to ${target}. Conduit does not follow redirects, so the provider's key is never sent elsewhere: set "api_base_url" to the final URL.`,
    provider,
    model,
    url: stripQuery(options.url),
    statusCode: 502,
    isRetryable: false,
  });
}

/** A fetch failure → `ProviderAPIError` (`timeout` or `connection`); client aborts pass through. */
export function createUpstreamNetworkError(options: {
  error: unknown;
  provider: string;
  model: string;
  url: string;
  signal: AbortSignal;
}): unknown {
  const { error, provider, model, signal } = options;
  if (signal.aborted) return signal.reason ?? error;
  const code = networkErrorCode(error);
  const isTimeout =
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    (error instanceof Error && error.name === 'TimeoutError');
  const origin = safeOrigin(options.url);
  return new ProviderAPIError({
    message: isTimeout
      ? `Provider "${provider}" (model ${model}) at ${origin} timed out${code ? ` (${code})` : ''}.`
      : `Could not reach provider "${provider}" (model ${model}) at ${origin}${code ? ` (${code})` : ''}.`,
    provider,
    model,
    url: stripQuery(options.url),
    failure: isTimeout ? 'timeout' : 'connection',
    cause: error,
  });
}

function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured URL';
  }
}

function stripQuery(url: string): string {
  return url.split('?')[0]!;
}
