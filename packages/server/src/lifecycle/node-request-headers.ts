import type { IncomingMessage } from 'node:http';

/**
 * Headers Node keeps once (it drops repeats) where a web `Headers` joins every value: their value
 * is read from the raw header list, so the answer is what `Headers` would give.
 */
const nonJoinedHeaders = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
  'set-cookie',
  '__proto__',
]);
const validHeaderName = /^[!#$%&'*+\-.^_`|~\dA-Za-z]+$/;
const forbiddenHeaderValue = /[\0\r\n]/;
const isHTTPWhitespace = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;

function trimHTTPWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHTTPWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHTTPWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Valid names asked for, lower-cased: the gateway asks for the same few on every request. */
const lowerNames = new Map<string, string>();
const maxLowerNames = 256;

/** `name` lower-cased, or undefined when it is not a valid header name. */
function validLowerName(name: string): string | undefined {
  const known = lowerNames.get(name);
  if (known !== undefined) return known;
  if (!validHeaderName.test(name)) return undefined;
  const lowerName = name.toLowerCase();
  if (lowerNames.size < maxLowerNames) lowerNames.set(name, lowerName);
  return lowerName;
}

/**
 * A request's headers read straight from Node's parsed headers, answering `get` and `has` as a web
 * `Headers` would. Anything else (iteration, changes) works on a real `Headers` copy made on first
 * use. Why: the first `Headers` of a process loads Node's built-in undici (about 5 MB of heap and
 * 30 ms at start), and a `GET /health` or a routed request needs only a few lookups.
 */
export class NodeRequestHeaders {
  readonly #incoming: IncomingMessage;
  #native: Headers | undefined;

  constructor(incoming: IncomingMessage) {
    this.#incoming = incoming;
  }

  /** The real `Headers`, made once; from then on every call reads and changes it. */
  get #headers(): Headers {
    if (!this.#native) {
      const native = new Headers();
      const raw = this.#incoming.rawHeaders;
      for (let index = 0; index < raw.length; index += 2)
        native.append(raw[index]!, raw[index + 1]!);
      this.#native = native;
    }
    return this.#native;
  }

  /** The value `Headers.get` gives, or undefined where only the real `Headers` can tell (it throws). */
  #lookup(name: string): string | null | undefined {
    const lowerName = validLowerName(name);
    if (lowerName === undefined) return undefined;
    if (!nonJoinedHeaders.has(lowerName)) {
      const parsed = this.#incoming.headers;
      if (!Object.hasOwn(parsed, lowerName)) return null;
      const value = parsed[lowerName];
      if (typeof value === 'string') {
        const trimmed = trimHTTPWhitespace(value);
        return forbiddenHeaderValue.test(trimmed) ? undefined : trimmed;
      }
    }
    const separator = lowerName === 'cookie' ? '; ' : ', ';
    const raw = this.#incoming.rawHeaders;
    let joined: string | null = null;
    for (let index = 0; index < raw.length; index += 2) {
      const rawName = raw[index]!;
      if (rawName.length !== lowerName.length || rawName.toLowerCase() !== lowerName) continue;
      const value = trimHTTPWhitespace(raw[index + 1]!);
      if (forbiddenHeaderValue.test(value)) return undefined;
      joined = joined === null ? value : joined + separator + value;
    }
    return joined;
  }

  get(name: string): string | null {
    if (!this.#native && typeof name === 'string') {
      const value = this.#lookup(name);
      if (value !== undefined) return value;
    }
    return this.#headers.get(name);
  }

  has(name: string): boolean {
    if (!this.#native && typeof name === 'string') {
      const value = this.#lookup(name);
      if (value !== undefined) return value !== null;
    }
    return this.#headers.has(name);
  }

  append(name: string, value: string): void {
    this.#headers.append(name, value);
  }

  delete(name: string): void {
    this.#headers.delete(name);
  }

  set(name: string, value: string): void {
    this.#headers.set(name, value);
  }

  getSetCookie(): string[] {
    return this.#headers.getSetCookie();
  }

  forEach(
    callback: (value: string, name: string, parent: Headers) => void,
    thisArg?: unknown,
  ): void {
    this.#headers.forEach((value, name) => {
      // These headers implement the read side of `Headers`, which is all a caller gets here.
      callback.call(thisArg, value, name, this as unknown as Headers);
    });
  }

  keys(): ReturnType<Headers['keys']> {
    return this.#headers.keys();
  }

  values(): ReturnType<Headers['values']> {
    return this.#headers.values();
  }

  entries(): ReturnType<Headers['entries']> {
    return this.#headers.entries();
  }

  [Symbol.iterator](): ReturnType<Headers['entries']> {
    return this.#headers.entries();
  }
}
