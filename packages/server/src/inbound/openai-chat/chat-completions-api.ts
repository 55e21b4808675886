/**
 * The inbound OpenAI Chat Completions API (`POST /v1/chat/completions`) as Conduit accepts it.
 *
 * The request schema is loose like the Messages one: SDKs add fields faster than any spec, and a
 * field Conduit does not map is kept for OpenAI-compatible upstreams instead of being rejected.
 * @see https://platform.openai.com/docs/api-reference/chat/create
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineChatCompletionsSchemas } from './chat-completions-api-schemas.js';

/** Every schema, built on the first use of any of them: starting the gateway does not load zod. */
const getSchemas = schemasOnFirstUse(defineChatCompletionsSchemas);

export const chatMessageSchema = lazySchema(() => getSchemas().chatMessageSchema);

export const chatToolChoiceSchema = lazySchema(() => getSchemas().chatToolChoiceSchema);

export const chatCompletionRequestSchema = lazySchema(
  () => getSchemas().chatCompletionRequestSchema,
);

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatToolChoice = z.infer<typeof chatToolChoiceSchema>;

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** `usage` of a chat completion; cached prompt tokens are part of `prompt_tokens`. */
export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

/** A non-streaming `chat.completion`. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: {
      role: 'assistant';
      content: string | null;
      refusal: string | null;
      tool_calls?: ChatToolCall[];
      /** The reasoning text, as DeepSeek and vLLM return it (Anthropic `thinking` blocks). */
      reasoning_content?: string;
    };
    logprobs: null;
    finish_reason: ChatFinishReason;
  }>;
  usage: ChatCompletionUsage;
}

export interface ChatCompletionChunkDelta {
  role?: 'assistant';
  content?: string | null;
  reasoning_content?: string;
  refusal?: string | null;
  tool_calls?: Array<{
    index: number;
    id?: string;
    type?: 'function';
    function: { name?: string; arguments: string };
  }>;
}

/** One `chat.completion.chunk` of a stream. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    delta: ChatCompletionChunkDelta;
    logprobs: null;
    finish_reason: ChatFinishReason | null;
  }>;
  usage?: ChatCompletionUsage | null;
}
