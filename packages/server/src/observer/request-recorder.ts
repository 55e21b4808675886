import type { ClientAPI, Logger, RoutingDecision } from '@conduit/core';
import type { CallOutcome } from '../providers/provider-adapter.js';
import type { RequestObserver, RequestRecord } from './request-observer.js';

/**
 * Collects the facts of one request as it progresses and hands the record to the observer exactly
 * once, whichever way the request ends (success, error before the first byte, stream failure,
 * client disconnect).
 */
export class RequestRecorder {
  private readonly observer: RequestObserver | undefined;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly onFinish: (() => void) | undefined;
  private readonly startedAt: number;
  private finished = false;
  /** Made on first use (only an admission listens). */
  private finishListeners: Array<(record: RequestRecord) => void> | undefined;
  readonly requestId: string;
  readonly clientApi: ClientAPI | undefined;
  metadata: Record<string, unknown> = {};
  decision: RoutingDecision | null = null;
  servedBy: RequestRecord['servedBy'] = null;
  upstreamMs: number | null = null;
  ttfbMs: number | null = null;

  constructor(options: {
    requestId: string;
    /** The API the client spoke (the door the request came through). */
    clientApi?: ClientAPI;
    observer: RequestObserver | undefined;
    logger: Logger;
    now: () => number;
    /** Called once when the request ends, whichever way (e.g. to end its in-flight entry). */
    onFinish?: () => void;
  }) {
    this.onFinish = options.onFinish;
    this.requestId = options.requestId;
    this.clientApi = options.clientApi;
    this.observer = options.observer;
    this.logger = options.logger;
    this.now = options.now;
    this.startedAt = options.now();
  }

  /** Milliseconds since the request arrived. */
  elapsed(): number {
    return this.now() - this.startedAt;
  }

  markFirstByte(): void {
    this.ttfbMs ??= this.elapsed();
  }

  /** Calls `listener` with the record when the request ends (e.g. to settle its admission). */
  onRecord(listener: (record: RequestRecord) => void): void {
    this.finishListeners ??= [];
    this.finishListeners.push(listener);
  }

  /**
   * Ends the record. Later calls are ignored.
   * @param schedule runs the listeners, the observer and `onFinish` later (e.g. `setImmediate`,
   * once the answer it is about to send is written); by default they run within this call.
   */
  finish(
    options: {
      status: number;
      outcome: CallOutcome | null;
      errorType: string | null;
      streamed: boolean;
    },
    schedule?: (task: () => void) => unknown,
  ): void {
    if (this.finished) return;
    this.finished = true;
    if (!this.observer && !this.finishListeners) {
      this.onFinish?.();
      return;
    }
    const record: RequestRecord = {
      requestId: this.requestId,
      startedAt: Date.now() - this.elapsed(),
      metadata: this.metadata,
      decision: this.decision,
      servedBy: this.servedBy,
      usage: options.outcome?.usage ?? null,
      usageEstimated: options.outcome?.usageEstimated ?? false,
      stopReason: options.outcome?.stopReason ?? null,
      latencyMs: this.elapsed(),
      ttfbMs: this.ttfbMs,
      upstreamMs: this.upstreamMs,
      status: options.status,
      errorType: options.errorType,
      streamed: options.streamed,
    };
    // Set after the literal, not spread into it: a spread makes the literal a runtime copy.
    if (this.clientApi) record.clientApi = this.clientApi;
    if (schedule) {
      // The in-flight entry ends once the record is handed over, so a shutdown flushes its row.
      schedule(() => {
        this.notify(record);
        this.onFinish?.();
      });
      return;
    }
    this.onFinish?.();
    this.notify(record);
  }

  /** Hands the record to the listeners and the observer; a failing one is logged, not thrown. */
  private notify(record: RequestRecord): void {
    for (const listener of this.finishListeners ?? []) {
      try {
        listener(record);
      } catch (error) {
        this.logObserverFailure(error);
      }
    }
    if (!this.observer) return;
    try {
      const result = this.observer.onRequestComplete(record);
      if (result && typeof result.catch === 'function') {
        result.catch(error => this.logObserverFailure(error));
      }
    } catch (error) {
      this.logObserverFailure(error);
    }
  }

  private logObserverFailure(error: unknown): void {
    this.logger.warn('request observer failed', {
      message: error instanceof Error ? error.message : String(error),
    });
  }
}
