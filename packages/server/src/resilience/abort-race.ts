/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as `signal` aborts, whichever
 * comes first. The abort listener is removed either way, so long-lived signals do not accumulate
 * listeners.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** An attempt's abort: see {@link createAttemptAbort}. */
export interface AttemptAbort {
  readonly signal: AbortSignal;
  /** Aborts the attempt (once; later calls do nothing). */
  abort(reason: unknown): void;
  /**
   * Settles like `promise`, or rejects with the signal's reason as soon as the attempt is aborted
   * (through `abort` or by the parent): `raceAbort(promise, signal)` without a listener on the
   * signal, as every abort of this controller goes through `abort`.
   */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Detaches from the parent. */
  dispose(): void;
}

/**
 * An AbortController that also aborts when `parent` does (with the parent's reason) and races the
 * attempt's call against its own aborts; `dispose()` detaches it from the parent once the attempt
 * is over.
 */
export function createAttemptAbort(parent: AbortSignal): AttemptAbort {
  const controller = new AbortController();
  const { signal } = controller;
  let rejectRace: ((reason: unknown) => void) | undefined;
  const abort = (reason: unknown) => {
    if (signal.aborted) return;
    controller.abort(reason);
    rejectRace?.(signal.reason);
  };
  let dispose: () => void = () => undefined;
  if (parent.aborted) abort(parent.reason);
  else {
    const onAbort = () => abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    dispose = () => parent.removeEventListener('abort', onAbort);
  }
  const race = <T>(promise: Promise<T>): Promise<T> => {
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      rejectRace = reject;
      promise.then(
        value => {
          rejectRace = undefined;
          resolve(value);
        },
        (error: unknown) => {
          rejectRace = undefined;
          reject(error);
        },
      );
    });
  };
  return { signal, abort, race, dispose: () => dispose() };
}
