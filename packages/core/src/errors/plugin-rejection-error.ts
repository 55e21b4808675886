import type { AnthropicErrorType } from '../types/anthropic-messages.js';
import { ConduitError } from './conduit-error.js';
import { mapStatusToErrorType } from './map-status-to-error-type.js';

const name = 'PluginRejectionError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * Thrown by a plugin hook to refuse a request on purpose (e.g. `model-allowlist`). Unlike any other
 * plugin failure, the `PluginManager` does not swallow it: it propagates out of the routing hooks so
 * the server can answer with an Anthropic-shaped error using `statusCode` and `errorType`.
 *
 * @example
 * ```ts
 * throw new PluginRejectionError({
 *   pluginName: 'model-allowlist',
 *   message: 'Model "openai,gpt-5" is not allowed.',
 *   statusCode: 403,
 * });
 * ```
 */
export class PluginRejectionError extends ConduitError {
  private readonly [symbol] = true;
  readonly pluginName: string;
  /** HTTP status the server should answer with (400, 403, 404, 413 or 429). */
  readonly statusCode: number;
  /** The Anthropic error `type` matching `statusCode`. */
  declare readonly errorType: AnthropicErrorType;

  constructor({
    pluginName,
    message,
    statusCode = 403,
    cause,
  }: {
    pluginName: string;
    message: string;
    statusCode?: 400 | 403 | 404 | 413 | 429;
    cause?: unknown;
  }) {
    super({
      name,
      message,
      cause,
      httpStatus: statusCode,
      errorType: mapStatusToErrorType(statusCode),
    });
    this.pluginName = pluginName;
    this.statusCode = statusCode;
  }

  static override isInstance(error: unknown): error is PluginRejectionError {
    return ConduitError.hasMarker(error, marker);
  }
}
