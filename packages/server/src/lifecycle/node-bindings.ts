import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Node request and response under a request the HTTP listener serves: the node adapter
 * (`node-adapter.ts`) passes them as the Hono context's `env`. Absent in-process (`app.request()`,
 * `app.fetch()`).
 */
export interface NodeBindings {
  incoming: IncomingMessage;
  outgoing: ServerResponse;
}

/** The Node request and response of a Hono context's `env`, when it came over a socket. */
export function nodeBindingsOf(env: unknown): NodeBindings | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const bindings = env as Partial<NodeBindings>;
  // The adapter's own `env` object: no copy per request.
  return bindings.incoming && bindings.outgoing ? (bindings as NodeBindings) : undefined;
}

/** Why a client went away, as the request's `signal` words it (the words of `@hono/node-server`). */
const clientClosedReason = 'Client connection prematurely closed.';

/**
 * Why the response closed without the client having its answer (the request errored, or the
 * connection closed before the response finished); undefined once the response has finished.
 */
export function clientGoneReason({ incoming, outgoing }: NodeBindings): string | undefined {
  if (incoming.errored) return String(incoming.errored);
  return outgoing.writableFinished ? undefined : clientClosedReason;
}

/** Whether the client has gone, and a way to hear when it goes. */
export interface ClientPresence {
  isGone(): boolean;
  /** Calls `listener` once when the client goes (at once if it already has). */
  onGone(listener: (reason: unknown) => void): void;
}

/**
 * The client's presence read from the Node response's `close` (closed before the response
 * finished, or the request errored), as the node adapter aborts the request's `signal`.
 *
 * Why not `request.signal`: reading it makes an `AbortController` per request, and an
 * `EventTarget` listener costs several times an `EventEmitter` one on Node 20.
 */
export function watchNodeClient({ incoming, outgoing }: NodeBindings): ClientPresence {
  let gone: { reason: unknown } | undefined;
  let listener: ((reason: unknown) => void) | undefined;
  const onClose = () => {
    const reason = clientGoneReason({ incoming, outgoing });
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
