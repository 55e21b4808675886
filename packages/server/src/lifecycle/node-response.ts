import { nativeWebClass } from './web-globals.js';

/** The content type of an answer whose body came without one (as `@hono/node-server` wrote it). */
export const defaultContentType = 'text/plain; charset=UTF-8';

/** Headers as a response may carry them before a real `Headers` exists. */
export type HeadersSource = Headers | Record<string, string> | [string, string][];

/** What the adapter writes of a light response without making a real one. */
export interface ResponseParts {
  status: number;
  body: string | Uint8Array | Blob | ReadableStream<Uint8Array> | null;
  headers: HeadersSource | undefined;
}

const isWritableBody = (body: unknown): body is ResponseParts['body'] =>
  body === null ||
  typeof body === 'string' ||
  body instanceof Uint8Array ||
  typeof (body as ReadableStream | undefined)?.getReader === 'function' ||
  body instanceof Blob;

/**
 * The global `Response` while the node adapter serves: a string, bytes, blob or stream answer is
 * kept as its parts and written to the socket as they are; a real `Response` is made only when
 * something reads more than `status`, `ok` or `headers` (or the body is of another kind). Why: the
 * first real `Response` or `Headers` loads Node's built-in undici, and Hono answers every request
 * through `new Response()` (`c.json()`, `c.body()`).
 */
export class NodeResponse {
  readonly #body: BodyInit | null | undefined;
  readonly #init: ResponseInit | undefined;
  #parts: ResponseParts | undefined;
  #headers: Headers | undefined;
  #native: Response | undefined;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.#body = body;
    // Copying a light response (Hono's HEAD answer, `c.res = ...`) keeps it light.
    const source = NodeResponse.isNodeResponse(init) ? init.#copyInit() : init;
    this.#init = source;
    const bodyValue = body ?? null;
    if (isWritableBody(bodyValue)) {
      this.#parts = {
        status: source?.status || 200,
        body: bodyValue,
        headers: source?.headers as HeadersSource | undefined,
      };
    }
  }

  static isNodeResponse(value: unknown): value is NodeResponse {
    return typeof value === 'object' && value !== null && #body in value;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (NodeResponse.isNodeResponse(value)) return true;
    return (
      typeof value === 'object' && value !== null && value instanceof nativeWebClass('Response')
    );
  }

  static json(data: unknown, init?: ResponseInit): NodeResponse {
    const body = JSON.stringify(data);
    if (body === undefined) throw new TypeError('The data is not JSON serializable');
    let headers: HeadersSource = { 'content-type': 'application/json' };
    if (init?.headers) {
      const given = new Headers(init.headers);
      if (!given.has('content-type')) given.set('content-type', 'application/json');
      headers = given;
    }
    return new NodeResponse(body, {
      status: init?.status ?? 200,
      statusText: init?.statusText,
      headers,
    });
  }

  static redirect(url: string | URL, status = 302): Response {
    return nativeWebClass('Response').redirect(url, status);
  }

  static error(): Response {
    return nativeWebClass('Response').error();
  }

  /** The parts to write, while no real `Response` was made (then the adapter reads that). */
  static partsOf(response: NodeResponse): ResponseParts | undefined {
    return response.#parts;
  }

  get status(): number {
    return this.#parts ? this.#parts.status : this.toNative().status;
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }

  get headers(): Headers {
    const parts = this.#parts;
    if (!parts) return this.toNative().headers;
    if (!this.#headers) {
      // A real `Headers` from here on: changes to it are what the adapter writes.
      const defaults = parts.body === null ? undefined : { 'content-type': defaultContentType };
      this.#headers = new Headers(parts.headers ?? defaults);
      parts.headers = this.#headers;
    }
    return this.#headers;
  }

  /** The real `Response` (made once; from then on the adapter writes it, not the parts). */
  toNative(): Response {
    if (!this.#native) {
      const NativeResponse = nativeWebClass('Response');
      const init = this.#headers
        ? { status: this.#init?.status, statusText: this.#init?.statusText, headers: this.#headers }
        : this.#init;
      this.#native = new NativeResponse(this.#body, init);
      this.#parts = undefined;
    }
    return this.#native;
  }

  // Everything else is the real response's.
  get body(): ReadableStream<Uint8Array> | null {
    return this.toNative().body;
  }

  get bodyUsed(): boolean {
    return this.toNative().bodyUsed;
  }

  get redirected(): boolean {
    return this.toNative().redirected;
  }

  get statusText(): string {
    return this.toNative().statusText;
  }

  get type(): ResponseType {
    return this.toNative().type;
  }

  get url(): string {
    return this.toNative().url;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.toNative().arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.toNative().blob();
  }

  bytes(): Promise<Uint8Array> {
    return this.toNative().bytes();
  }

  clone(): Response {
    return this.toNative().clone();
  }

  formData(): Promise<FormData> {
    return this.toNative().formData();
  }

  json(): Promise<unknown> {
    return this.toNative().json();
  }

  text(): Promise<string> {
    return this.toNative().text();
  }

  /** This response's init for a copy, without making real headers when there are none yet. */
  #copyInit(): ResponseInit {
    const parts = this.#parts;
    if (!parts) return { status: this.status, statusText: this.statusText, headers: this.headers };
    const headers =
      parts.headers ?? (parts.body === null ? undefined : { 'content-type': defaultContentType });
    return { status: parts.status, statusText: this.#init?.statusText, headers };
  }
}
