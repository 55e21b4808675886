/** One request in flight, as {@link InFlightRequests} tracks it. */
export interface InFlightRequest {
  /**
   * Aborted when shutdown gives up waiting: abort the upstream call and end the response. Made on
   * first read (a JSON answer never needs one).
   */
  readonly signal: AbortSignal;
  /** Calls `listener` once when shutdown aborts this request (at once if it already has). */
  onAbort(listener: (reason: unknown) => void): void;
  /** Marks the request finished (idempotent). */
  end(): void;
}

/** Per request: no `AbortController` (an `EventTarget`) unless something reads the signal. */
interface InFlightEntry {
  aborted: boolean;
  reason: unknown;
  controller: AbortController | undefined;
  listeners: Array<(reason: unknown) => void> | undefined;
}

/**
 * The model requests (and streams) still running, so shutdown can wait for them and, past its
 * deadline, abort the rest.
 */
export class InFlightRequests {
  private readonly active = new Set<InFlightEntry>();
  private idleWaiters: Array<() => void> = [];

  /** Requests still running. */
  get size(): number {
    return this.active.size;
  }

  begin(): InFlightRequest {
    const entry: InFlightEntry = {
      aborted: false,
      reason: undefined,
      controller: undefined,
      listeners: undefined,
    };
    this.active.add(entry);
    return new InFlightHandle(entry, () => {
      this.active.delete(entry);
      if (this.active.size === 0) this.notifyIdle();
    });
  }

  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  waitForIdle(timeoutMs: number): Promise<boolean> {
    if (this.active.size === 0) return Promise.resolve(true);
    return new Promise<boolean>(resolve => {
      const timer = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter(waiter => waiter !== onIdle);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const onIdle = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.idleWaiters.push(onIdle);
    });
  }

  /** Aborts every request still running with `reason`. */
  abortAll(reason: Error): void {
    for (const entry of this.active) {
      if (entry.aborted) continue;
      entry.aborted = true;
      entry.reason = reason;
      entry.controller?.abort(reason);
      const listeners = entry.listeners ?? [];
      entry.listeners = undefined;
      for (const listener of listeners) listener(reason);
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

/**
 * One request's handle. A class, not an object literal: a literal with a getter is built through
 * the runtime's slow path on every request.
 */
class InFlightHandle implements InFlightRequest {
  readonly #entry: InFlightEntry;
  /** Bound: callers pass `end` on as a callback. */
  readonly end: () => void;

  constructor(entry: InFlightEntry, onEnd: () => void) {
    this.#entry = entry;
    let ended = false;
    this.end = () => {
      if (ended) return;
      ended = true;
      onEnd();
    };
  }

  get signal(): AbortSignal {
    const entry = this.#entry;
    if (!entry.controller) {
      entry.controller = new AbortController();
      if (entry.aborted) entry.controller.abort(entry.reason);
    }
    return entry.controller.signal;
  }

  onAbort(listener: (reason: unknown) => void): void {
    const entry = this.#entry;
    if (entry.aborted) listener(entry.reason);
    else {
      entry.listeners ??= [];
      entry.listeners.push(listener);
    }
  }
}
