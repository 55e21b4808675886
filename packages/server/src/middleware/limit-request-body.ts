import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ConduitEnv } from '../conduit-env.js';
import { RequestTooLargeError } from '../errors/request-too-large-error.js';

/**
 * `server.bodyLimit` (read per request, so config updates apply): a body over the limit is a 413.
 *
 * A request that declares its length (every SDK and Claude Code) is checked on the header alone,
 * which Node's parser enforces. Hono's `bodyLimit` reads `request.body` first, and on the node
 * adapter that getter builds a full web `Request` around a web stream of the socket, so the body
 * is then read through web streams and decoded by undici instead of by the adapter's direct read
 * (a plain `Buffer` concat): about a tenth of the gateway's CPU on a 76 KB request.
 * Chunked bodies (no length) still go through Hono's counting reader.
 */
export function createBodyLimit(getLimitBytes: () => number): MiddlewareHandler<ConduitEnv> {
  return (context, next) => {
    const limitBytes = getLimitBytes();
    const headers = context.req.raw.headers;
    const declaredLength = headers.get('content-length');
    if (declaredLength !== null && !headers.has('transfer-encoding')) {
      if (Number.parseInt(declaredLength || '0', 10) > limitBytes) {
        throw new RequestTooLargeError({ limitBytes });
      }
      return next();
    }
    return bodyLimit({
      maxSize: limitBytes,
      onError: () => {
        throw new RequestTooLargeError({ limitBytes });
      },
    })(context, next);
  };
}
