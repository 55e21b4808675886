import type { MessagesRequest, ProviderConfig } from '@conduit/core';

/** The wire protocols Conduit speaks upstream. */
export type AdapterId = 'anthropic' | 'openai';

/** What a transformer hook can see about the call it is part of. */
export interface TransformerContext {
  provider: ProviderConfig;
  /** The routed upstream model. */
  model: string;
  /** The inbound Anthropic request (read-only). */
  request: MessagesRequest;
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
  ): Record<string, unknown> | undefined;
  /** A non-streaming upstream response body, before Conduit translates it back. */
  transformResponseBody?(
    body: Record<string, unknown>,
    context: TransformerContext,
  ): Record<string, unknown> | undefined;
  /** One parsed upstream stream `data:` payload; `null` drops it. */
  transformStreamData?(
    data: Record<string, unknown>,
    context: TransformerContext,
  ): Record<string, unknown> | null | undefined;
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
  /** Returns problems with the options (one sentence each); empty when they are fine. */
  validateOptions?(options: Record<string, unknown>): string[];
  create(options: Record<string, unknown>): TransformerInstance;
}
