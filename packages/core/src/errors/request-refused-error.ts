import type { AnthropicErrorType } from '../types/anthropic-messages.js';
import { ConduitError } from './conduit-error.js';

const name = 'RequestRefusedError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** What a {@link RequestRefusedError} is built from. */
export interface RequestRefusedErrorOptions {
  message: string;
  /** HTTP status of the answer: 401 (unknown or revoked key), 403 (not allowed), 429 (limit). */
  statusCode: number;
  /** Anthropic error `type` sent with the status (`rate_limit_error` for 429, …). */
  errorType: AnthropicErrorType;
  /** Extra response headers (`retry-after`, `anthropic-ratelimit-*`). */
  headers?: Record<string, string>;
  /** Machine-readable reason for logs and tests (`requests`, `tokens`, `budget`, `revoked`, …). */
  reason?: string;
}

/**
 * A deliberate refusal by an authentication or admission hook (a revoked virtual key, a rate
 * limit, an exhausted budget): the server answers with its status, Anthropic error type and
 * headers, whichever package threw it.
 */
export class RequestRefusedError extends ConduitError {
  private readonly [symbol] = true;
  /** The same as {@link ConduitError.httpStatus}. */
  readonly statusCode: number;
  declare readonly errorType: AnthropicErrorType;
  readonly headers: Record<string, string>;
  readonly reason: string | undefined;

  constructor(options: RequestRefusedErrorOptions) {
    super({
      name,
      message: options.message,
      httpStatus: options.statusCode,
      errorType: options.errorType,
    });
    this.statusCode = options.statusCode;
    this.headers = options.headers ?? {};
    this.reason = options.reason;
  }

  static override isInstance(error: unknown): error is RequestRefusedError {
    return ConduitError.hasMarker(error, marker);
  }
}
