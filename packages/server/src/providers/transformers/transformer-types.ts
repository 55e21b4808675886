import type { MessagesRequest, ParsedProviderConfig } from '@conduit/core';

/** The wire protocols Conduit speaks upstream. */
export type AdapterId = 'anthropic' | 'openai' | 'gemini' | 'openai-responses';

/** Where the upstream request goes; request hooks may change it (CCR's `config.url`/`headers`). */
export interface UpstreamRequestTarget {
  url: string;
  headers: Headers;
}

/** What a transformer hook can see about the call it is part of. */
export interface TransformerContext {
  provider: ParsedProviderConfig;
  /** The routed upstream model. */
  model: string;
  /** The inbound Anthropic request (read-only). */
  request: MessagesRequest;
  /** The key used for this call (CCR hands it to transformers as `provider.apiKey`). */
  apiKey?: string;
  /** The upstream URL and headers, set by the adapter before the request hooks run. */
  upstream?: UpstreamRequestTarget;
}

/** A value or a promise of it: hooks may be async (CCR's custom transformers are). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * A per-stream stateful transform of parsed upstream stream payloads (one is created per response
 * stream, so state never leaks between requests). `transform` returns the payloads to pass on
 * (none, the same one, or several); `flush` runs when the upstream stream ends.
 */
export interface StreamDataTransform {
  transform(data: Record<string, unknown>): Record<string, unknown>[];
  flush?(): Record<string, unknown>[];
}

/**
 * A configured transformer: optional hooks on the provider's wire format, applied per provider then
 * per model, in CCR's order (requests in `use` order; responses and stream data in reverse).
 * Returning `undefined` from a hook keeps the (possibly mutated) input.
 */
export interface TransformerInstance {
  name: string;
  /** Adapter settings this transformer contributes (merged in pipeline order). */
  settings?: Record<string, unknown>;
  /** The upstream request body, after Conduit's translation. */
  transformRequestBody?(
    body: Record<string, unknown>,
    context: TransformerContext,
  ): MaybePromise<Record<string, unknown> | undefined>;
  /** A non-streaming upstream response body, before Conduit translates it back. */
  transformResponseBody?(
    body: Record<string, unknown>,
    context: TransformerContext,
  ): MaybePromise<Record<string, unknown> | undefined>;
  /** One parsed upstream stream `data:` payload; `null` drops it (stateless). */
  transformStreamData?(
    data: Record<string, unknown>,
    context: TransformerContext,
  ): Record<string, unknown> | null | undefined;
  /** Creates a stateful per-stream transform (used instead of `transformStreamData` when set). */
  createStreamTransform?(context: TransformerContext): StreamDataTransform;
  /**
   * The raw upstream stream bytes, before Conduit parses them (CCR custom modules'
   * `transformResponseOut` on a stream). Runs before every parsed-payload hook.
   */
  transformResponseStream?(
    body: ReadableStream<Uint8Array>,
    context: TransformerContext,
  ): MaybePromise<ReadableStream<Uint8Array>>;
}

/**
 * A transformer known by its CCR name (`transformer.use` entries). Adding one is a definition in
 * the registry; `adapter` makes it select the wire protocol (as `Anthropic` does).
 */
export interface TransformerDefinition {
  /** Case-sensitive CCR registry name. */
  name: string;
  description: string;
  adapter?: AdapterId;
  /**
   * Set for CCR names Conduit recognises but cannot serve: the config is refused with this
   * message and hint instead of "unknown transformer".
   */
  unsupported?: { message: string; hint: string };
  /** Returns problems with the options (one sentence each); empty when they are fine. */
  validateOptions?(options: Record<string, unknown>): string[];
  create(options: Record<string, unknown>): TransformerInstance;
}
