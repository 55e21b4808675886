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
import { z } from 'zod';

export const cacheControlSchema = z.looseObject({ type: z.string() });

export const textBlockSchema = z.looseObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlSchema.nullish(),
});

export const imageSourceSchema = z.union([
  z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
  z.looseObject({ type: z.literal('url'), url: z.string() }),
  z.looseObject({ type: z.string() }),
]);

export const imageBlockSchema = z.looseObject({
  type: z.literal('image'),
  source: imageSourceSchema,
  cache_control: cacheControlSchema.nullish(),
});

export const toolUseBlockSchema = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  cache_control: cacheControlSchema.nullish(),
});

/**
 * Validates `value` against the schema registered for its `type`, reporting each problem under the
 * block's own path; types without a schema (documents, server tools, future blocks) pass as they are.
 */
function refineKnownBlock(
  schemas: ReadonlyMap<string, z.ZodType>,
): (block: { type: string }, context: z.RefinementCtx) => void {
  return (block, context) => {
    const schema = schemas.get(block.type);
    if (!schema) return;
    const result = schema.safeParse(block);
    if (result.success) return;
    for (const issue of result.error.issues) {
      context.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
    }
  };
}

/** A block inside `tool_result.content`: text and image are checked, other types pass. */
export const toolResultContentBlockSchema = z.looseObject({ type: z.string() }).superRefine(
  refineKnownBlock(
    new Map<string, z.ZodType>([
      ['text', textBlockSchema],
      ['image', imageBlockSchema],
    ]),
  ),
);

export const toolResultBlockSchema = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.union([z.string(), z.array(toolResultContentBlockSchema)]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema.nullish(),
});

export const thinkingBlockSchema = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().optional(),
});

export const redactedThinkingBlockSchema = z.looseObject({
  type: z.literal('redacted_thinking'),
  data: z.string(),
});

/**
 * Any content block: the known ones are validated (what translation reads must have the right
 * shape), unknown types (documents, server tools) pass.
 */
export const contentBlockSchema = z.looseObject({ type: z.string() }).superRefine(
  refineKnownBlock(
    new Map<string, z.ZodType>([
      ['text', textBlockSchema],
      ['image', imageBlockSchema],
      ['tool_use', toolUseBlockSchema],
      ['tool_result', toolResultBlockSchema],
      ['thinking', thinkingBlockSchema],
      ['redacted_thinking', redactedThinkingBlockSchema],
    ]),
  ),
);

export const messageParamSchema = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export const toolSchema = z.looseObject({
  name: z.string(),
  type: z.string().optional(),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

export const toolChoiceSchema = z.looseObject({
  type: z.enum(['auto', 'any', 'tool', 'none']),
  name: z.string().optional(),
  disable_parallel_tool_use: z.boolean().optional(),
});

export const thinkingConfigSchema = z.looseObject({
  type: z.enum(['enabled', 'disabled', 'adaptive']),
  budget_tokens: z.number().int().nonnegative().optional(),
});

export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageParamSchema),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  thinking: thinkingConfigSchema.optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().optional(),
});

/** `POST /v1/messages/count_tokens`: like a request, without `max_tokens`. */
export const countTokensRequestSchema = messagesRequestSchema.omit({
  max_tokens: true,
  stream: true,
});

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
