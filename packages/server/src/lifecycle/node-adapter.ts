import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeBindings } from './node-bindings.js';
import { NodeRequest } from './node-request.js';
import { NodeResponse } from './node-response.js';
import { isWebGlobalReplaced, nativeWebClass, replaceWebGlobal } from './web-globals.js';
import { writeNodeResponse } from './write-node-response.js';

/** The app's entry point (Hono's `app.fetch`): the Node request and response come as `env`. */
export type FetchHandler = (request: Request, env: NodeBindings) => Response | Promise<Response>;

/**
 * The global `Request`, made only when something reads it: Node's own, extended so a request of
 * the adapter counts as one (`instanceof`) and can be copied (`new Request(request)`).
 */
function adapterRequestClass(): typeof Request {
  const NativeRequest = nativeWebClass('Request');
  class AdapterRequest extends NativeRequest {
    constructor(input: RequestInfo | URL | NodeRequest, init?: RequestInit & { duplex?: 'half' }) {
      const source = NodeRequest.isNodeRequest(input) ? input.toNative() : input;
      if (typeof (init?.body as ReadableStream | undefined)?.getReader === 'function') {
        init!.duplex ??= 'half';
      }
      super(source, init);
    }
  }
  // The adapter's requests count as requests; a subclass of the global checks its own instances.
  Object.defineProperty(AdapterRequest, Symbol.hasInstance, {
    value(this: typeof Request, value: unknown): boolean {
      if (this !== AdapterRequest) return Function.prototype[Symbol.hasInstance].call(this, value);
      return NodeRequest.isNodeRequest(value) || value instanceof NativeRequest;
    },
  });
  return AdapterRequest;
}

/**
 * Puts the adapter's `Response` (and a lazily made `Request`) in place of the globals, as
 * `@hono/node-server` did, without reading Node's own: they load its built-in undici.
 */
export function installAdapterGlobals(): void {
  if (!isWebGlobalReplaced('Response')) {
    replaceWebGlobal('Response', { value: NodeResponse, writable: true });
  }
  if (!isWebGlobalReplaced('Request')) {
    let made: typeof Request | undefined;
    replaceWebGlobal('Request', {
      get: () => {
        made ??= adapterRequestClass();
        return made;
      },
      set: (value: unknown) => {
        replaceWebGlobal('Request', { value, writable: true });
      },
    });
  }
}

const isPromise = (value: unknown): value is Promise<Response> =>
  typeof (value as Promise<Response> | undefined)?.then === 'function';

/** The answer when the app itself throws (Hono maps errors first; this is the last resort). */
function fetchFailure(error: unknown): NodeResponse {
  const timedOut =
    error instanceof Error &&
    (error.name === 'TimeoutError' || error.constructor.name === 'TimeoutError');
  return new NodeResponse(null, { status: timedOut ? 504 : 500 });
}

/**
 * Node's `request` listener for a fetch-style app: builds the light request, calls the app with
 * the Node request and response as `env`, and writes its answer (streams with backpressure).
 */
export function createNodeRequestListener(
  fetch: FetchHandler,
): (incoming: IncomingMessage, outgoing: ServerResponse) => void {
  installAdapterGlobals();
  return (incoming, outgoing) => {
    let request: NodeRequest;
    try {
      request = new NodeRequest(incoming, outgoing);
    } catch {
      // A target or Host that makes no URL (BadRequestTargetError, or URL's own TypeError).
      outgoing.writeHead(400);
      outgoing.end();
      return;
    }
    let answer: Response | Promise<Response>;
    try {
      // The light request implements what Hono reads of a `Request`, not the whole web type.
      answer = fetch(request as unknown as Request, { incoming, outgoing });
    } catch (error) {
      // The light response stands in for the web `Response` (see node-response.ts).
      answer = fetchFailure(error) as unknown as Response;
    }
    if (isPromise(answer)) {
      answer.then(
        response => writeNodeResponse(response, outgoing),
        // The light response stands in for the web `Response` (see node-response.ts).
        error => writeNodeResponse(fetchFailure(error) as unknown as Response, outgoing),
      );
    } else {
      void writeNodeResponse(answer, outgoing);
    }
  };
}
