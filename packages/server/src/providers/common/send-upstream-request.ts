import { ProviderAPIError } from '@conduit/core';
import type { ProviderCallInput, UpstreamResponse } from '../provider-adapter.js';
import type { UpstreamRequestTarget } from '../transformers/transformer-types.js';
import { encodeJSONBody } from './encode-json-body.js';
import { createUpstreamHTTPError, createUpstreamNetworkError } from './upstream-error.js';

/**
 * POSTs `body` as JSON to `target` and returns the successful response. Network failures and
 * non-2xx answers become `ProviderAPIError`s (client aborts pass through unchanged);
 * `retryAfterFromBody` reads a retry delay from error bodies that carry one (Gemini's RetryInfo).
 */
export async function sendUpstreamRequest(
  input: ProviderCallInput,
  target: UpstreamRequestTarget,
  body: unknown,
  options: { retryAfterFromBody?: (bodyText: string) => number | undefined } = {},
): Promise<UpstreamResponse> {
  const { provider, model, signal } = input;
  let response: UpstreamResponse;
  try {
    response = await input.fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body: encodeJSONBody(body) as Uint8Array<ArrayBuffer>,
      signal,
      // Never re-send the provider key to another URL (see upstreamRedirectError).
      redirect: 'manual',
    });
  } catch (error) {
    throw createUpstreamNetworkError({
      error,
      provider: provider.name,
      model,
      url: target.url,
      signal,
    });
  }
  if (!response.ok) {
    throw await createUpstreamHTTPError({
      response,
      provider: provider.name,
      model,
      url: target.url,
      apiKey: input.apiKey,
      retryAfterFromBody: options.retryAfterFromBody,
    });
  }
  return response;
}

/** Reads and parses a JSON response body; an unreadable or non-JSON body is a retryable error. */
export async function readUpstreamJSON(
  input: ProviderCallInput,
  response: UpstreamResponse,
  url: string,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw createUpstreamNetworkError({
      error,
      provider: input.provider.name,
      model: input.model,
      url,
      signal: input.signal,
    });
  }
  try {
    const payload: unknown = JSON.parse(text);
    if (payload !== null && typeof payload === 'object' && !Array.isArray(payload)) {
      return payload as Record<string, unknown>;
    }
  } catch {
    // reported below
  }
  throw invalidUpstreamResponseError(input, response.status, 'returned a body that is not JSON');
}

/** A 2xx answer Conduit cannot use: retryable, since another attempt or provider may do better. */
export function invalidUpstreamResponseError(
  input: Pick<ProviderCallInput, 'provider' | 'model'>,
  status: number,
  problem: string,
): ProviderAPIError {
  return new ProviderAPIError({
    message: `Provider "${input.provider.name}" (model ${input.model}) ${problem}.`,
    provider: input.provider.name,
    model: input.model,
    statusCode: status,
    isRetryable: true,
  });
}
