import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * After a response that did not read the whole request body (a 413, a 401 before the body, a 400
 * on the first bad byte), reads and discards the rest for up to `drainMs`, then closes.
 *
 * Why: closing a socket with unread bytes makes the kernel send a reset, and a client that is still
 * uploading (undici, the Anthropic SDK, curl with a large body) then loses the answer it has not
 * read yet, seeing `EPIPE`/`ECONNRESET` and no status. Discarding costs no memory; the connection
 * stays usable when the body ends in time. (`@hono/node-server`, the adapter before ours, drained
 * for only 500 ms.)
 */
export function drainUnreadBody(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  drainMs: number,
): void {
  if (incoming.method === 'GET' || incoming.method === 'HEAD') return;
  outgoing.once('finish', () => {
    if (incoming.readableEnded || incoming.destroyed) return;
    // The web stream that wrapped the body is abandoned: detach it so nothing buffers the rest.
    incoming.removeAllListeners('data');
    incoming.removeAllListeners('readable');
    const socket = incoming.socket;
    const stop = () => {
      clearTimeout(timer);
      incoming.off('end', stop);
      incoming.off('close', stop);
    };
    const timer = setTimeout(() => {
      stop();
      // Half-close first so the answer is flushed, then give the client a moment before the end.
      socket.end();
      setTimeout(() => socket.destroy(), 1_000).unref();
    }, drainMs);
    timer.unref();
    incoming.on('data', () => {});
    incoming.once('end', stop);
    incoming.once('close', stop);
    incoming.resume();
  });
}
