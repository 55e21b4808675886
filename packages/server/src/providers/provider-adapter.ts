import type { CallOutcome, Logger, MessagesRequest, ParsedProviderConfig } from '@conduit/core';
import type { ProviderPipeline } from './transformers/resolve-provider-pipeline.js';
import type { AdapterId } from './transformers/transformer-types.js';

import type { ByteSource, UpstreamResponse } from '../upstream/upstream-response.js';

/** The `fetch` Conduit calls upstreams with (injectable for tests and proxies). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/**
 * How adapters call upstreams: a `FetchFunction`, or the pooled client, whose answers carry only
 * the part of `Response` adapters read.
 */
export type UpstreamFetch = (url: string, init: RequestInit) => Promise<UpstreamResponse>;

export type { UpstreamResponse } from '../upstream/upstream-response.js';

export type { CallOutcome, UsageCounts } from '@conduit/core';

/** One upstream call for one target. */
export interface ProviderCallInput {
  provider: ParsedProviderConfig;
  /** The routed upstream model id. */
  model: string;
  /** The validated inbound Anthropic request. */
  request: MessagesRequest;
  /** The inbound body exactly as received (the Anthropic passthrough forwards these bytes). */
  rawBody: string;
  /**
   * The inbound body's bytes, when `rawBody` is exactly their text (absent when it was
   * re-serialized): the Anthropic passthrough forwards these without decoding them. Present only
   * while the request is exactly what they say, so the OpenAI adapter may reuse the translation of
   * tools it saw before (see `request/tools-source.ts`).
   */
  rawBodyBytes?: Uint8Array;
  /** Inbound request headers; adapters forward only the ones they own (never client credentials). */
  inboundHeaders: Headers;
  /** The key to use for this call (a seam for key pools); `undefined` sends no credentials. */
  apiKey: string | undefined;
  /** Local estimate of the input tokens, reported when the upstream reports none. */
  estimatedInputTokens: number;
  pipeline: ProviderPipeline;
  fetch: UpstreamFetch;
  /** Aborted when the client disconnects (or a resilience layer gives up). */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A successful upstream answer, already in Anthropic format. Nothing has been sent to the client
 * yet when an adapter returns this: a wrapper may still retry or fall back.
 */
export type ProviderCallResult =
  | {
      kind: 'json';
      /** Serialized Anthropic message. */
      body: string;
      outcome: CallOutcome;
      /** Upstream headers worth returning to the client (e.g. `request-id`). */
      responseHeaders: Record<string, string>;
    }
  | {
      kind: 'stream';
      /** Anthropic SSE bytes. Errors mid-way surface as a stream error. */
      stream: ReadableStream<Uint8Array>;
      /**
       * The same bytes read without a web stream (see `createStreamResult`), for the stages that
       * only read them. Read either this or `stream`.
       */
      openStreamSource?(): ByteSource;
      /** The outcome so far; final once `stream` has closed. */
      getOutcome(): CallOutcome;
      responseHeaders: Record<string, string>;
    };

/**
 * A wire protocol. Adapters do I/O only: translation lives in pure `convert-*` functions. They
 * throw `ProviderAPIError` for upstream HTTP errors and unreachable upstreams.
 */
export interface ProviderAdapter {
  readonly specificationVersion: 'v1';
  readonly id: AdapterId;
  call(input: ProviderCallInput): Promise<ProviderCallResult>;
}
