import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Node request and response under a request the HTTP listener serves: `@hono/node-server`
 * passes them as the Hono context's `env`. Absent in-process (`app.request()`, `app.fetch()`).
 */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** The Node request and response of a Hono context's `env`, when it came over a socket. */
export function nodeBindingsOf(env: unknown): NodeBindings | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const { incoming, outgoing } = env as Partial<NodeBindings>;
  return incoming && outgoing ? { incoming, outgoing } : undefined;
}

/** Why a client went away, as `@hono/node-server` words it for the request's `signal`. */
const clientClosedReason = 'Client connection prematurely closed.';

/** Whether the client has gone, and a way to hear when it goes. */
export interface ClientPresence {
  isGone(): boolean;
  /** Calls `listener` once when the client goes (at once if it already has). */
  onGone(listener: (reason: unknown) => void): void;
}

/**
 * The client's presence read from the Node response's `close` (closed before the response
 * finished, or the request errored), as `@hono/node-server` aborts the request's `signal`.
 *
 * Why not `request.signal`: reading it makes an `AbortController` per request, and an
 * `EventTarget` listener costs several times an `EventEmitter` one on Node 20.
 */
export function watchNodeClient({ incoming, outgoing }: NodeBindings): ClientPresence {
  let gone: { reason: unknown } | undefined;
  let listener: ((reason: unknown) => void) | undefined;
  const reasonNow = () =>
    incoming.errored
      ? String(incoming.errored)
      : outgoing.writableFinished
        ? undefined
        : clientClosedReason;
  const onClose = () => {
    const reason = reasonNow();
    if (reason === undefined) return;
    gone = { reason };
    listener?.(reason);
  };
  if (outgoing.destroyed) onClose();
  else outgoing.once('close', onClose);
  return {
    isGone: () => gone !== undefined,
    onGone: next => {
      if (gone) next(gone.reason);
      else listener = next;
    },
  };
}

/** The same presence read from a web request's `signal` (in-process requests). */
export function watchSignalClient(signal: AbortSignal): ClientPresence {
  return {
    isGone: () => signal.aborted,
    onGone: listener => {
      if (signal.aborted) listener(signal.reason);
      else signal.addEventListener('abort', () => listener(signal.reason), { once: true });
    },
  };
}
