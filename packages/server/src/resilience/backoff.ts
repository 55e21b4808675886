/** Retry pacing settings (`resilience.retry`). */
export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * The wait before retry number `retryNumber` (1 for the first retry).
 *
 * - With a `retry-after` from the upstream, that wait is honoured exactly, capped by `maxDelayMs`
 *   (a provider asking for minutes should not stall the client: the fallback chain serves instead).
 * - Otherwise exponential backoff with full jitter: a uniform draw in
 *   `[0, min(maxDelayMs, baseDelayMs × 2^(retryNumber-1)))` (AWS Architecture Blog, "Exponential
 *   Backoff And Jitter"), which spreads synchronized clients best.
 *
 * Why not a library such as `exponential-backoff` or `p-retry`: they own the retry loop and its
 * timers, so they cannot interleave key rotation, circuit breakers, fallback targets and one total
 * deadline, cannot take a per-error `retry-after`, and cannot run on an injected clock. The formula
 * itself is this function.
 */
export function computeRetryDelay(options: {
  retryNumber: number;
  settings: BackoffSettings;
  retryAfterMs?: number;
  /** Uniform in [0, 1) (injected for tests). */
  random?: () => number;
}): number {
  const { retryNumber, settings } = options;
  if (!Number.isInteger(retryNumber) || retryNumber < 1) {
    throw new RangeError(`retryNumber must be a positive integer, got ${retryNumber}`);
  }
  const cap = Math.max(0, settings.maxDelayMs);
  if (options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs)) {
    return Math.min(Math.max(0, options.retryAfterMs), cap);
  }
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const ceiling = Math.min(cap, settings.baseDelayMs * 2 ** Math.min(retryNumber - 1, 30));
  const random = options.random ?? Math.random;
  return Math.floor(random() * ceiling);
}
