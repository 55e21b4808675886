/**
 * Time as the resilience layer sees it. Injected so tests can drive backoff, cooldowns and circuit
 * breakers deterministically.
 */
export interface ResilienceClock {
  /** Milliseconds since the epoch (wall clock: cooldowns and `retry-after` dates are absolute). */
  now(): number;
  /** Resolves after `milliseconds`, or rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
  /** Calls `callback` after `milliseconds`; returns a function that cancels it. */
  setTimer(callback: () => void, milliseconds: number): () => void;
}

/** The real clock: `Date.now` and unref'd timers (a pending retry never keeps the process alive). */
export const systemClock: ResilienceClock = {
  now: () => Date.now(),
  sleep: (milliseconds, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, milliseconds);
      timer.unref();
      signal.addEventListener('abort', onAbort, { once: true });
    }),
  setTimer: (callback, milliseconds) => {
    const timer = setTimeout(callback, milliseconds);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
