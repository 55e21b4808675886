import { type ClientAPI, type MessagesRequest, messagesRequestSchema } from '@conduit/core';
import type { InboundBody } from '../request/inbound-body.js';
import type { ByteSource } from '../streaming/byte-source-stream.js';
import { parseJSONRequest } from '../request/parse-json-request.js';
import {
  validateMessagesRequestFast,
  validateMessagesToolsFast,
} from '../request/validate-messages-request.js';

/** How one request's answer is rendered in the client's API. */
export interface ClientRenderer {
  /** A serialized Anthropic message → the response body the client expects. */
  json(anthropicBody: string): string;
  /** Anthropic SSE bytes → the client's SSE bytes. */
  stream(anthropicStream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>;
  /**
   * As `stream`, over the bytes read without a web stream (see `createStreamResult`); a renderer
   * without it gets the web stream.
   */
  streamSource?(anthropicSource: ByteSource): ByteSource;
}

/** A parsed inbound request: Conduit's internal (Anthropic Messages) form and its renderer. */
export interface InboundRequest {
  request: MessagesRequest;
  /** True when the raw body may be forwarded as is (only for the Anthropic door). */
  forwardRawBody: boolean;
  render: ClientRenderer;
}

/**
 * One API Conduit accepts. Every door feeds the same pipeline (auth, routing, plugins, resilience,
 * usage, metrics): it parses into a Messages request and renders the Anthropic-shaped answer back.
 */
export interface InboundDoor {
  /** Recorded on the request record (and so in the ledger) and in the routing metadata. */
  clientApi: ClientAPI;
  parse(body: InboundBody): InboundRequest;
}

const identityRenderer: ClientRenderer = {
  json: body => body,
  stream: stream => stream,
  streamSource: source => source,
};

/** `POST /v1/messages`: the native door. */
export const anthropicMessagesDoor: InboundDoor = {
  clientApi: 'anthropic-messages',
  parse: body => ({
    request: parseJSONRequest(body, messagesRequestSchema, {
      linkToolsSource: true,
      validateTools: tools =>
        validateMessagesToolsFast(tools) ?? messagesRequestSchema.shape.tools.parse(tools),
      validateFast: validateMessagesRequestFast,
    }),
    forwardRawBody: true,
    render: identityRenderer,
  }),
};
