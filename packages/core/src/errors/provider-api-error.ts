import { ConduitError } from './conduit-error.js';

const name = 'ProviderAPIError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * An upstream provider answered with an error status, or could not be reached (`statusCode`
 * undefined). `isRetryable` drives retries and fallbacks.
 */
export class ProviderAPIError extends ConduitError {
  private readonly [symbol] = true;
  readonly provider: string;
  readonly model?: string;
  readonly url?: string;
  /** Upstream HTTP status; undefined for connection failures and timeouts. */
  readonly statusCode?: number;
  /** Upstream body, truncated; never contains Conduit's own secrets. */
  readonly responseBody?: string;
  /** Parsed `retry-after` in milliseconds, when the upstream sent one. */
  readonly retryAfterMs?: number;
  readonly isRetryable: boolean;
  /** `timeout` and `connection` distinguish network failures from HTTP errors. */
  readonly failure: 'http' | 'connection' | 'timeout';

  constructor(options: {
    message: string;
    provider: string;
    model?: string;
    url?: string;
    statusCode?: number;
    responseBody?: string;
    retryAfterMs?: number;
    isRetryable?: boolean;
    failure?: 'http' | 'connection' | 'timeout';
    cause?: unknown;
  }) {
    super({
      name,
      message: options.message,
      cause: options.cause,
      httpStatus: edgeStatus(options.failure, options.statusCode),
    });
    this.provider = options.provider;
    this.model = options.model;
    this.url = options.url;
    this.statusCode = options.statusCode;
    this.responseBody = options.responseBody;
    this.retryAfterMs = options.retryAfterMs;
    this.failure = options.failure ?? (options.statusCode === undefined ? 'connection' : 'http');
    this.isRetryable = options.isRetryable ?? isRetryableStatus(options.statusCode);
  }

  static override isInstance(error: unknown): error is ProviderAPIError {
    return ConduitError.hasMarker(error, marker);
  }
}

/** 408, 409, 429, 5xx and network failures (no status) are worth another try. */
export function isRetryableStatus(statusCode: number | undefined): boolean {
  return (
    statusCode === undefined ||
    statusCode === 408 ||
    statusCode === 409 ||
    statusCode === 429 ||
    statusCode >= 500
  );
}

/**
 * What the client gets for an upstream failure: the upstream's own HTTP error status; 504 for a
 * timeout; 502 for an unreachable upstream or an answer Conduit cannot read.
 */
function edgeStatus(failure: string | undefined, statusCode: number | undefined): number {
  if (failure === 'timeout') return 504;
  if (statusCode === undefined || statusCode < 400) return 502;
  return statusCode;
}
