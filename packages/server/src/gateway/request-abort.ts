import type { UpstreamCallInput } from './upstream-call.js';

/** An `abort` listener as `EventTarget` takes it (a function or an object with `handleEvent`). */
type AbortListener = EventListenerOrEventListenerObject;

/** The part of an `AbortSignal` an attempt watches: its state and its `abort` listeners. */
export type AbortParent = Pick<
  AbortSignal,
  'aborted' | 'reason' | 'addEventListener' | 'removeEventListener'
>;

/**
 * A request's abort (client gone, shutdown) without an `AbortController` unless something asks
 * for its `signal`: on Node 20 each controller costs ~7 µs to build (`makeTransferable`) and an
 * `EventTarget`'s garbage, and the resilience layer's attempt, which makes the controller the
 * upstream request gets, only needs to be told. Once `signal` was read, the controller follows
 * every abort (same reason).
 */
export class RequestAbort implements AbortParent {
  aborted = false;
  reason: unknown = undefined;
  /** The upstream call input this abort belongs to (see {@link requestAbortOf}). */
  owner: object | undefined;
  private controller: AbortController | undefined;
  private listeners: AbortListener[] | undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Aborts (once; later calls do nothing), with `reason` as `AbortController.abort` words it. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    if (this.controller) {
      this.controller.abort(reason);
      this.reason = this.controller.signal.reason;
    } else {
      this.reason =
        reason === undefined
          ? new DOMException('This operation was aborted', 'AbortError')
          : reason;
    }
    const listeners = this.listeners;
    this.listeners = undefined;
    if (!listeners) return;
    const event = new Event('abort');
    for (const listener of listeners) {
      if (typeof listener === 'function') listener(event);
      else listener.handleEvent(event);
    }
  }

  /** Listens for the abort, once (the only way an attempt listens). */
  addEventListener(_type: string, listener: AbortListener | null): void {
    if (!listener || this.aborted) return;
    if (this.listeners) this.listeners.push(listener);
    else this.listeners = [listener];
  }

  removeEventListener(_type: string, listener: AbortListener | null): void {
    const listeners = this.listeners;
    if (!listeners || !listener) return;
    const index = listeners.indexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }
}

const requestAbortKey = Symbol('request abort');

/** What a request's upstream call input holds besides its signal. */
type RequestInputFields = Pick<
  UpstreamCallInput,
  'decision' | 'target' | 'request' | 'rawBody' | 'inboundHeaders' | 'resolveTarget'
>;

/**
 * A request's upstream call input, whose `signal` is built only when read (see
 * {@link RequestAbort}); {@link requestAbortOf} finds the abort again. An object literal: a getter
 * added by `Object.defineProperty` would make a dictionary-mode object.
 */
export function createRequestInput(
  fields: RequestInputFields,
  abort: RequestAbort,
): UpstreamCallInput {
  const input = {
    decision: fields.decision,
    target: fields.target,
    request: fields.request,
    rawBody: fields.rawBody,
    inboundHeaders: fields.inboundHeaders,
    resolveTarget: fields.resolveTarget,
    get signal(): AbortSignal {
      return abort.signal;
    },
    [requestAbortKey]: abort,
  };
  abort.owner = input;
  return input;
}

/**
 * The input of one attempt at `target`: `input` with the attempt's target, key and signal. The
 * request's own input (see {@link createRequestInput}) is copied field by field, so its `signal`
 * is not built; any other (a wrapper's) is spread, as before.
 */
export function createAttemptInput(
  input: UpstreamCallInput,
  attempt: Pick<UpstreamCallInput, 'target' | 'keyIndex' | 'signal'>,
): UpstreamCallInput {
  if (!requestAbortOf(input)) return { ...input, ...attempt };
  return {
    decision: input.decision,
    target: attempt.target,
    request: input.request,
    rawBody: input.rawBody,
    inboundHeaders: input.inboundHeaders,
    resolveTarget: input.resolveTarget,
    keyIndex: attempt.keyIndex,
    signal: attempt.signal,
  };
}

/**
 * The request's abort of `input` when `input` is the very object {@link withRequestAbort} made (a
 * wrapper's copy, which may carry another `signal`, is read through its `signal` as any input).
 */
export function requestAbortOf(input: UpstreamCallInput): RequestAbort | undefined {
  const abort = (input as { [requestAbortKey]?: RequestAbort })[requestAbortKey];
  return abort?.owner === input ? abort : undefined;
}

/** Whether the request of `input` was aborted, without building its signal. */
export function isRequestAborted(input: UpstreamCallInput): boolean {
  return (requestAbortOf(input) ?? input.signal).aborted;
}
