import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { clientGoneReason } from './node-bindings.js';
import { NodeRequestHeaders } from './node-request-headers.js';
import { readIncomingBody } from './read-incoming-body.js';
import { nativeWebClass } from './web-globals.js';

/** A request target or `Host` the adapter cannot make a URL of: the client gets a 400. */
export class BadRequestTargetError extends Error {
  override name = 'BadRequestTargetError';
}

const simpleHost = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;
const simplePath = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const dotSegment = /\/\.\.?(?:[/?#]|$)/;

function checkTarget(target: string): void {
  const backslash = target.indexOf('\\');
  const query = target.indexOf('?');
  if (backslash !== -1 && (query === -1 || backslash < query)) {
    throw new BadRequestTargetError('Backslash in request path');
  }
}

/** The request's absolute URL, as `@hono/node-server` makes it (normalized only when needed). */
function requestURL(incoming: IncomingMessage): string {
  const target = incoming.url || '';
  if (target[0] !== '/' && (target.startsWith('http://') || target.startsWith('https://'))) {
    checkTarget(target);
    return new URL(target).href;
  }
  const host = incoming.headers.host;
  if (!host) throw new BadRequestTargetError('Missing host header');
  const scheme = (incoming.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
  const url = `${scheme}://${host}${target}`;
  if (!simpleHost.test(host)) {
    checkTarget(target);
    const parsed = new URL(url);
    const hostname = host.includes(':') ? host.replace(/:\d+$/, '') : host;
    if (parsed.hostname.length !== host.length && parsed.hostname !== hostname.toLowerCase()) {
      throw new BadRequestTargetError('Invalid host header');
    }
    return parsed.href;
  }
  if (target.length === 0) return `${url}/`;
  if (target.charCodeAt(0) !== 47) throw new BadRequestTargetError('Invalid URL');
  if (!simplePath.test(target) || dotSegment.test(target)) {
    checkTarget(target);
    return new URL(url).href;
  }
  return url;
}

const knownMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** The method as a web `Request` reports it (the standard ones upper-cased, others as sent). */
function requestMethod(method: string | undefined): string {
  if (!method) return 'GET';
  if (knownMethods.has(method) || method === 'PATCH') return method;
  const upper = method.toUpperCase();
  return knownMethods.has(upper) ? upper : method;
}

/** The bytes as an `ArrayBuffer`: the buffer itself when they fill it (a concat's result), else a copy. */
function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  const buffer = bytes.buffer as ArrayBuffer;
  if (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

const bodyUnusable = () => new TypeError('Body is unusable');

/**
 * The web request Hono sees for a Node request: `url`, `method`, `headers`, `signal` and the body
 * methods are answered from Node's request; the body is read straight into one `Buffer`.
 * Anything else (`body` as a stream, `clone()`, `formData()`, ...) uses a real `Request` made on
 * first use. Why not a real `Request` per request: the first one loads Node's built-in undici, and
 * each costs a web stream around the socket and an `AbortController`.
 */
export class NodeRequest {
  readonly method: string;
  readonly url: string;
  readonly #incoming: IncomingMessage;
  readonly #outgoing: ServerResponse;
  #headers: NodeRequestHeaders | undefined;
  #abort: AbortController | undefined;
  #native: Request | undefined;
  /** Set once a body method read the body directly (the body can be read once). */
  #bodyRead = false;

  /** @throws BadRequestTargetError when the target or `Host` make no valid URL. */
  constructor(incoming: IncomingMessage, outgoing: ServerResponse) {
    this.#incoming = incoming;
    this.#outgoing = outgoing;
    this.method = requestMethod(incoming.method);
    this.url = requestURL(incoming);
  }

  /** Whether `value` is a request of the node adapter. */
  static isNodeRequest(value: unknown): value is NodeRequest {
    return typeof value === 'object' && value !== null && #incoming in value;
  }

  get headers(): Headers {
    this.#headers ??= new NodeRequestHeaders(this.#incoming);
    // The read side of `Headers` over Node's headers; Hono and the gateway only read them.
    return this.#headers as unknown as Headers;
  }

  /** Aborted when the client goes before its answer is complete (made on first read). */
  get signal(): AbortSignal {
    if (!this.#abort) {
      const abort = new AbortController();
      this.#abort = abort;
      const node = { incoming: this.#incoming, outgoing: this.#outgoing };
      const onClose = () => {
        const reason = clientGoneReason(node);
        if (reason !== undefined) abort.abort(reason);
      };
      if (this.#outgoing.destroyed) onClose();
      else this.#outgoing.once('close', onClose);
    }
    return this.#abort.signal;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.toNative().body;
  }

  get bodyUsed(): boolean {
    return this.#bodyRead || (this.#native?.bodyUsed ?? false);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#readBody('arrayBuffer', arrayBufferOf);
  }

  text(): Promise<string> {
    return this.#readBody('text', bytes => new TextDecoder().decode(bytes));
  }

  json(): Promise<unknown> {
    return this.text().then(JSON.parse);
  }

  bytes(): Promise<Uint8Array> {
    return this.arrayBuffer().then(buffer => new Uint8Array(buffer));
  }

  blob(): Promise<Blob> {
    return this.#readBody('blob', bytes => {
      const type = this.headers.get('content-type');
      return new Blob([arrayBufferOf(bytes)], type ? { type } : {});
    });
  }

  formData(): Promise<FormData> {
    return this.#bodyRead ? Promise.reject(bodyUnusable()) : this.toNative().formData();
  }

  clone(): Request {
    if (this.#bodyRead) throw bodyUnusable();
    return this.toNative().clone();
  }

  /** The request as a real `Request` (made once; its body is the rest of the Node request). */
  toNative(): Request {
    if (!this.#native) {
      const NativeRequest = nativeWebClass('Request');
      const init: RequestInit & { duplex?: 'half' } = {
        method: this.method,
        headers: this.headers,
        signal: this.signal,
      };
      if (this.method !== 'GET' && this.method !== 'HEAD') {
        // A body read directly is gone: the real request gets an empty, used-up one.
        init.body = this.#bodyRead
          ? new ReadableStream({ start: controller => controller.close() })
          : (Readable.toWeb(this.#incoming) as ReadableStream<Uint8Array>);
        init.duplex = 'half';
      }
      this.#native = new NativeRequest(this.url, init);
    }
    return this.#native;
  }

  /** Reads the body once, straight from Node's stream; the real request's body once it exists. */
  #readBody<T>(method: 'arrayBuffer' | 'text' | 'blob', convert: (bytes: Buffer) => T): Promise<T> {
    if (this.#bodyRead) return Promise.reject(bodyUnusable());
    if (this.#native || this.method === 'GET' || this.method === 'HEAD') {
      return this.toNative()[method]() as Promise<T>;
    }
    this.#bodyRead = true;
    return readIncomingBody(this.#incoming).then(convert);
  }
}
