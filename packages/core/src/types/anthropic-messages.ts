/**
 * Zod schemas and types for the inbound Anthropic Messages API.
 *
 * Schemas are deliberately loose (`.passthrough()`/`looseObject`): Claude Code sends fields that are
 * newer than any published spec (`context_management`, `output_config`, mid-conversation `system`
 * messages), and Conduit must forward what it does not understand rather than reject it.
 *
 * @see https://docs.anthropic.com/en/api/messages
 * @module
 */
import type { z } from 'zod';
import { lazySchema } from '../zod/lazy-schema.js';
import { schemasOnFirstUse } from '../zod/load-zod.js';
import { defineMessageSchemas } from './anthropic-messages-schemas.js';

/** Every schema, built on the first use of any of them: importing core does not load zod. */
const getSchemas = schemasOnFirstUse(defineMessageSchemas);

export const cacheControlSchema = lazySchema(() => getSchemas().cacheControlSchema);
export const textBlockSchema = lazySchema(() => getSchemas().textBlockSchema);
export const imageSourceSchema = lazySchema(() => getSchemas().imageSourceSchema);
export const imageBlockSchema = lazySchema(() => getSchemas().imageBlockSchema);
export const toolUseBlockSchema = lazySchema(() => getSchemas().toolUseBlockSchema);
export const toolResultContentBlockSchema = lazySchema(
  () => getSchemas().toolResultContentBlockSchema,
);
export const toolResultBlockSchema = lazySchema(() => getSchemas().toolResultBlockSchema);
export const thinkingBlockSchema = lazySchema(() => getSchemas().thinkingBlockSchema);
export const redactedThinkingBlockSchema = lazySchema(
  () => getSchemas().redactedThinkingBlockSchema,
);
export const contentBlockSchema = lazySchema(() => getSchemas().contentBlockSchema);
export const messageParamSchema = lazySchema(() => getSchemas().messageParamSchema);
export const toolSchema = lazySchema(() => getSchemas().toolSchema);
export const toolChoiceSchema = lazySchema(() => getSchemas().toolChoiceSchema);
export const thinkingConfigSchema = lazySchema(() => getSchemas().thinkingConfigSchema);
export const messagesRequestSchema = lazySchema(() => getSchemas().messagesRequestSchema);
export const countTokensRequestSchema = lazySchema(() => getSchemas().countTokensRequestSchema);

export type TextBlock = z.infer<typeof textBlockSchema>;
export type ImageBlock = z.infer<typeof imageBlockSchema>;
export type ToolUseBlock = z.infer<typeof toolUseBlockSchema>;
export type ToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type ThinkingBlock = z.infer<typeof thinkingBlockSchema>;
export type RedactedThinkingBlock = z.infer<typeof redactedThinkingBlockSchema>;
export type ContentBlock = z.infer<typeof contentBlockSchema>;
export type MessageParam = z.infer<typeof messageParamSchema>;
export type Tool = z.infer<typeof toolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ThinkingConfig = z.infer<typeof thinkingConfigSchema>;
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type CountTokensRequest = z.infer<typeof countTokensRequestSchema>;

/** Anthropic stop reasons. @see https://docs.anthropic.com/en/api/handling-stop-reasons */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Usage as Anthropic reports it: `input_tokens` excludes cache reads and cache writes. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  [key: string]: unknown;
}

/** Blocks Conduit produces in responses. */
export type ResponseContentBlock =
  | { type: 'text'; text: string; citations?: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** A non-streaming `/v1/messages` response. */
export interface MessagesResponse {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ResponseContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: Usage;
}

/** Deltas inside `content_block_delta`. */
export type ContentBlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'thinking_delta'; thinking: string }
  | { type: 'signature_delta'; signature: string }
  | { type: 'input_json_delta'; partial_json: string };

/** The SSE events of a streamed `/v1/messages` response, in wire spelling. */
export type MessageStreamEvent =
  | { type: 'message_start'; message: MessagesResponse }
  | { type: 'content_block_start'; index: number; content_block: ResponseContentBlock }
  | { type: 'content_block_delta'; index: number; delta: ContentBlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta';
      delta: { stop_reason: StopReason | null; stop_sequence: string | null };
      usage: Partial<Usage> & { output_tokens: number };
    }
  | { type: 'message_stop' }
  | { type: 'ping' }
  | { type: 'error'; error: { type: AnthropicErrorType; message: string } };

/** Error types of Anthropic's error envelope. @see https://docs.anthropic.com/en/api/errors */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'
  | 'timeout_error';

/** `{"type":"error","error":{"type","message"}}` */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}
