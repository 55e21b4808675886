/** One request in flight, as {@link InFlightRequests} tracks it. */
export interface InFlightRequest {
  /** Aborted when shutdown gives up waiting: abort the upstream call and end the response. */
  readonly signal: AbortSignal;
  /** Marks the request finished (idempotent). */
  end(): void;
}

/**
 * The model requests (and streams) still running, so shutdown can wait for them and, past its
 * deadline, abort the rest.
 */
export class InFlightRequests {
  private readonly active = new Set<{ controller: AbortController }>();
  private idleWaiters: Array<() => void> = [];

  /** Requests still running. */
  get size(): number {
    return this.active.size;
  }

  begin(): InFlightRequest {
    const entry = { controller: new AbortController() };
    this.active.add(entry);
    let ended = false;
    return {
      signal: entry.controller.signal,
      end: () => {
        if (ended) return;
        ended = true;
        this.active.delete(entry);
        if (this.active.size === 0) this.notifyIdle();
      },
    };
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
    for (const entry of this.active) entry.controller.abort(reason);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
