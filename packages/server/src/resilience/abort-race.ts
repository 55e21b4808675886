import type { AbortParent } from '../gateway/request-abort.js';

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
export function createAttemptAbort(parent: AbortParent): AttemptAbort {
  return new ParentedAttemptAbort(parent);
}

/** The parent's listener options, shared (an options object per listener is garbage per request). */
const onceOptions = { once: true } as const;

/**
 * {@link createAttemptAbort} as one object: it is its own abort listener (`handleEvent`) and keeps
 * the race's callbacks as fields, where closures would be several objects per attempt.
 */
class ParentedAttemptAbort implements AttemptAbort {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly parent: AbortParent;
  private listening = false;
  private resolveRace: ((value: unknown) => void) | undefined;
  private rejectRace: ((reason: unknown) => void) | undefined;

  constructor(parent: AbortParent) {
    this.signal = this.controller.signal;
    this.parent = parent;
    if (parent.aborted) this.abort(parent.reason);
    else {
      parent.addEventListener('abort', this, onceOptions);
      this.listening = true;
    }
  }

  /** The parent aborted. */
  handleEvent(): void {
    this.listening = false;
    this.abort(this.parent.reason);
  }

  abort(reason: unknown): void {
    if (this.signal.aborted) return;
    this.controller.abort(reason);
    const reject = this.rejectRace;
    this.settleRace();
    reject?.(this.signal.reason);
  }

  race<T>(promise: Promise<T>): Promise<T> {
    if (this.signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(this.signal.reason);
    }
    const raced = new Promise<T>((resolve, reject) => {
      this.resolveRace = resolve as (value: unknown) => void;
      this.rejectRace = reject;
    });
    promise.then(this.onValue, this.onError);
    return raced;
  }

  dispose(): void {
    if (!this.listening) return;
    this.listening = false;
    this.parent.removeEventListener('abort', this);
  }

  private readonly onValue = (value: unknown) => {
    const resolve = this.resolveRace;
    this.settleRace();
    resolve?.(value);
  };

  private readonly onError = (error: unknown) => {
    const reject = this.rejectRace;
    this.settleRace();
    reject?.(error);
  };

  private settleRace(): void {
    this.resolveRace = undefined;
    this.rejectRace = undefined;
  }
}
