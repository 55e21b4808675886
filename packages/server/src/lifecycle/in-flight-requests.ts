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

/**
 * The model requests (and streams) still running, so shutdown can wait for them and, past its
 * deadline, abort the rest.
 */
export class InFlightRequests {
  private readonly active = new Set<InFlightHandle>();
  private idleWaiters: Array<() => void> = [];

  /** Requests still running. */
  get size(): number {
    return this.active.size;
  }

  begin(): InFlightRequest {
    const handle = new InFlightHandle(this.ended);
    this.active.add(handle);
    return handle;
  }

  /** Called once per request by its handle's `end`. */
  private readonly ended = (handle: InFlightHandle): void => {
    this.active.delete(handle);
    if (this.active.size === 0) this.notifyIdle();
  };

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
    // Idle after every request at low load; usually no one waits (only a shutdown does).
    if (this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

/**
 * One request's handle, also the entry `InFlightRequests` keeps: no `AbortController` (an
 * `EventTarget`) unless something reads the signal. A class, not an object literal: a literal
 * with a getter is built through the runtime's slow path on every request.
 */
class InFlightHandle implements InFlightRequest {
  aborted = false;
  reason: unknown = undefined;
  controller: AbortController | undefined = undefined;
  listeners: Array<(reason: unknown) => void> | undefined = undefined;
  #ended = false;
  readonly #onEnd: (handle: InFlightHandle) => void;

  constructor(onEnd: (handle: InFlightHandle) => void) {
    this.#onEnd = onEnd;
  }

  /** Bound: callers pass `end` on as a callback. */
  readonly end = (): void => {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd(this);
  };

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  onAbort(listener: (reason: unknown) => void): void {
    if (this.aborted) listener(this.reason);
    else {
      this.listeners ??= [];
      this.listeners.push(listener);
    }
  }
}
