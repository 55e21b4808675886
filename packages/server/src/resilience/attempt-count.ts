/**
 * The number of upstream attempts a failed request made, kept beside the error it failed with so
 * the error response can carry `x-conduit-attempts` like a served one. A WeakMap, so errors keep
 * their own shape (and any package's error class works).
 */
const attemptsByError = new WeakMap<object, number>();

/** Remembers that `error` ended a request after `attempts` upstream attempts. */
export function recordAttempts(error: unknown, attempts: number): void {
  if (typeof error === 'object' && error !== null) attemptsByError.set(error, attempts);
}

/** The attempts recorded for `error`, or undefined when no resilience layer handled it. */
export function attemptsOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? attemptsByError.get(error) : undefined;
}
