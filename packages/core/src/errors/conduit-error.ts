import type { AnthropicErrorType } from '../types/anthropic-messages.js';
import { mapStatusToErrorType } from './map-status-to-error-type.js';

const marker = 'conduit.error';
const symbol = Symbol.for(marker);

/** What every {@link ConduitError} is built from. */
export interface ConduitErrorOptions {
  name: string;
  message: string;
  cause?: unknown;
  /** HTTP status a server answers with when this error ends a request (default 500). */
  httpStatus?: number;
  /** Anthropic error `type` of the answer (default: the one matching `httpStatus`). */
  errorType?: AnthropicErrorType;
}

/**
 * Base class of every error Conduit throws. Identified by a global symbol marker rather than
 * `instanceof`, so the check works across duplicate copies of the package (AI SDK pattern).
 *
 * Each error carries the HTTP status and Anthropic error type it is answered with, so the
 * server's edge maps any Conduit error (whichever package threw it) without knowing its class,
 * as Hono's `HTTPException` carries its status.
 */
export class ConduitError extends Error {
  private readonly [symbol] = true;
  /** HTTP status the server answers with when this error ends a request. */
  readonly httpStatus: number;
  /** The Anthropic error `type` sent with {@link httpStatus}. */
  readonly errorType: AnthropicErrorType;

  constructor({ name, message, cause, httpStatus = 500, errorType }: ConduitErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    this.httpStatus = httpStatus;
    this.errorType = errorType ?? mapStatusToErrorType(httpStatus);
  }

  static isInstance(error: unknown): error is ConduitError {
    return ConduitError.hasMarker(error, marker);
  }

  protected static hasMarker(error: unknown, markerName: string): boolean {
    const markerSymbol = Symbol.for(markerName);
    return (
      error != null &&
      typeof error === 'object' &&
      markerSymbol in error &&
      (error as Record<symbol, unknown>)[markerSymbol] === true
    );
  }
}
