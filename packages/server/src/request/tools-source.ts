/**
 * Claude Code sends the same `tools` with every request of a session: in the real `cc-hi-01`
 * request, 24 tools are 60 KB of 76 KB. Translating them (schema cleaning, serialization) is most
 * of the CPU an OpenAI-bound request costs, and its result depends on the tools' text alone. So a
 * parsed request's `tools` array is linked to a {@link ToolsSource}, one per distinct text, which
 * keeps what adapters derive from it (their translated, serialized tools) for the next request
 * with the same text.
 *
 * The link is only trusted while the request is exactly what its bytes say (see
 * `ProviderCallInput.rawBodyBytes`): a plugin that edits `tools` in place makes the gateway
 * re-serialize the request, and then adapters translate the tools afresh.
 *
 * Tools seen (and found valid) before are not parsed again with the request: its `tools` member is
 * parsed from the source's text when something reads it first (a fresh value for each request, so
 * it may be changed freely). An OpenAI-bound request that reuses its translated tools never reads
 * them: the 60 KB are not parsed and not kept while the request waits for its upstream.
 */

/** One distinct `tools` text and the values adapters derived from it. */
export class ToolsSource {
  private readonly derived = new Map<string, unknown>();
  /**
   * Set once a request with these tools passed validation: it checks the parsed tools again (and
   * copies them as the request's validation does) for {@link deferToolsParse}.
   */
  validateTools: ((tools: unknown) => unknown) | undefined;

  /** `text` runs from just after the `"tools"` key to the end of its value (see `inspectJSONText`). */
  constructor(readonly text: string) {}

  /** The tools parsed from the text and validated, as a request's own (new) value. */
  parseTools(): unknown {
    const value: unknown = JSON.parse(this.text.slice(this.text.indexOf(':') + 1));
    return this.validateTools ? this.validateTools(value) : value;
  }

  /** The value made by `make` for `key` the first time, for every request with these tools. */
  derive<T>(key: string, make: () => T): T {
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const value = make();
    this.derived.set(key, value);
    return value;
  }
}

/** Smaller tool lists cost little to translate; keeping them would only cost memory. */
const minimumTextLength = 2048;
/** Distinct tool sets kept (a session's main agent and its subagents use a few). */
const maximumSources = 16;

/** The known sources, least recently used first (a `Map` keeps insertion order). */
const sources = new Map<string, ToolsSource>();
const sourceOfRequest = new WeakMap<object, ToolsSource>();
/** A request whose tools are parsed on first read → the getter that parses them. */
const deferredToolsGetter = new WeakMap<object, () => unknown>();

/**
 * The source for `text.slice(start, end)` (a one-byte text: one character per byte), made on first
 * sight; undefined for short texts. A V8 string over 16 K characters hashes by its length, so the
 * lookup costs one comparison of the texts (a memory compare), not a hash of 60 KB.
 */
export function internToolsSource(
  text: string,
  start: number,
  end: number,
): ToolsSource | undefined {
  if (end - start < minimumTextLength) return undefined;
  const slice = text.slice(start, end);
  let source = sources.get(slice);
  if (source) {
    sources.delete(slice);
  } else {
    // An own copy: the slice would keep the whole request text alive.
    const copy = Buffer.from(slice, 'latin1').toString('latin1');
    source = new ToolsSource(copy);
    if (sources.size >= maximumSources) sources.delete(sources.keys().next().value!);
  }
  sources.set(source.text, source);
  return source;
}

/** Links a parsed request to the source its `tools` were parsed from. */
export function rememberToolsSource(request: object, source: ToolsSource): void {
  sourceOfRequest.set(request, source);
}

/** The source a request's `tools` were parsed from, if it was linked to one. */
export function toolsSourceOf(request: object): ToolsSource | undefined {
  return sourceOfRequest.get(request);
}

/**
 * The text of a request's tools while they are still unread (see {@link deferToolsParse}): nothing
 * can have changed them, so they are exactly what the text parses to (the token counter's
 * `ToolsTextOf`, which counts them once per text). Undefined once read or assigned.
 */
export function unreadToolsText(request: object): string | undefined {
  const getter = deferredToolsGetter.get(request);
  if (getter === undefined) return undefined;
  if (Object.getOwnPropertyDescriptor(request, 'tools')?.get !== getter) return undefined;
  return sourceOfRequest.get(request)?.text;
}

/**
 * Makes `request.tools` (parsed from a placeholder) the tools of `source`, parsed on first read.
 * Reading or assigning it turns it into a plain data member again, in the same place among the keys.
 */
export function deferToolsParse(request: object, source: ToolsSource): void {
  const settle = (target: object, value: unknown) => {
    Object.defineProperty(target, 'tools', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  function get(this: object) {
    const tools = source.parseTools();
    if (Object.isExtensible(this)) settle(this, tools);
    return tools;
  }
  deferredToolsGetter.set(request, get);
  Object.defineProperty(request, 'tools', {
    enumerable: true,
    configurable: true,
    get,
    set(this: object, value: unknown) {
      settle(this, value);
    },
  });
}
