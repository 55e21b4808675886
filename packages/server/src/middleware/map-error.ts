import {
  type AnthropicErrorBody,
  type AnthropicErrorType,
  ConfigError,
  InvalidRequestError,
  NoRouteError,
  ProviderAPIError,
} from '@conduit/core';
import { UsageStorageError } from '@conduit/monitoring';
import { PluginRejectionError } from '@conduit/plugins';
import { HTTPException } from 'hono/http-exception';
import { AuthenticationError } from '../errors/authentication-error.js';
import { ForbiddenHostError } from '../errors/forbidden-host-error.js';
import { ForbiddenOriginError } from '../errors/forbidden-origin-error.js';
import { RequestTooLargeError } from '../errors/request-too-large-error.js';
import { ShuttingDownError } from '../errors/shutting-down-error.js';
import { UsageUnavailableError } from '../errors/usage-unavailable-error.js';

/** An error as the client sees it. */
export interface MappedError {
  status: number;
  body: AnthropicErrorBody;
  /** False for Conduit's own bugs: those are logged, with the stack, server-side only. */
  expected: boolean;
}

/**
 * HTTP status → Anthropic error type.
 * @see https://docs.anthropic.com/en/api/errors
 */
export function mapStatusToErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

function envelope(status: number, message: string, expected = true): MappedError {
  return {
    status,
    body: { type: 'error', error: { type: mapStatusToErrorType(status), message } },
    expected,
  };
}

/**
 * Every error → Anthropic's `{"type":"error","error":{type,message}}` and a status. Decisions:
 * - No providers / no `Router.default` → 400: the request cannot be served until the config
 *   changes, and Claude Code shows a 400's message at once instead of retrying it.
 * - Unknown provider or model → 404 `not_found_error` (Claude Code reports "an issue with the
 *   selected model"), with the configured choices in the message.
 * - Upstream HTTP errors keep the upstream status; unreachable upstream → 502 `api_error`; upstream
 *   timeouts → 504 `timeout_error`; an upstream answer Conduit cannot read → 502 `api_error`.
 * - A plugin's deliberate refusal (`PluginRejectionError`, e.g. the model allowlist or a Synapse
 *   budget) → the status and Anthropic error type the plugin chose.
 * - Missing or wrong API key → 401 `authentication_error`; a foreign browser origin → 403.
 * - A request arriving while the server drains for shutdown → 503 (clients retry elsewhere).
 * - The usage ledger failing while answering `/api/usage` → 500 `api_error` naming the storage;
 *   no ledger at all → 503 `api_error` saying how to enable it.
 * - Anything unexpected → 500 `api_error` with a generic message (no stack, no internals).
 */
export function mapError(error: unknown): MappedError {
  if (AuthenticationError.isInstance(error)) return envelope(401, error.message);
  if (ForbiddenOriginError.isInstance(error)) return envelope(403, error.message);
  if (ForbiddenHostError.isInstance(error)) return envelope(403, error.message);
  if (ShuttingDownError.isInstance(error)) return envelope(503, error.message);
  if (PluginRejectionError.isInstance(error)) {
    return {
      status: error.statusCode,
      body: { type: 'error', error: { type: error.errorType, message: error.message } },
      expected: true,
    };
  }
  if (UsageStorageError.isInstance(error)) return envelope(500, error.message);
  if (UsageUnavailableError.isInstance(error)) {
    return {
      status: 503,
      body: { type: 'error', error: { type: 'api_error', message: error.message } },
      expected: true,
    };
  }
  if (RequestTooLargeError.isInstance(error)) return envelope(413, error.message);
  if (InvalidRequestError.isInstance(error)) return envelope(400, error.message);
  if (NoRouteError.isInstance(error)) {
    const status = error.kind === 'unknown-provider' || error.kind === 'unknown-model' ? 404 : 400;
    return envelope(status, error.message);
  }
  if (ProviderAPIError.isInstance(error)) {
    if (error.failure === 'timeout') return envelope(504, error.message);
    if (error.statusCode === undefined || error.statusCode < 400)
      return envelope(502, error.message);
    return envelope(error.statusCode, error.message);
  }
  if (ConfigError.isInstance(error)) return envelope(500, error.message);
  if (error instanceof HTTPException) {
    if (error.status === 413) return envelope(413, 'The request body is too large.');
    return envelope(error.status, error.message || 'Request failed.');
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return envelope(504, 'The upstream request timed out.');
  }
  return envelope(500, 'Conduit hit an internal error while handling this request.', false);
}
