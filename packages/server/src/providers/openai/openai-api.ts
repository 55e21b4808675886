/**
 * The OpenAI chat-completions wire format, as far as Conduit uses it.
 *
 * Request types are plain interfaces (Conduit builds them). Response schemas are deliberately loose
 * (`.nullish()`, `looseObject`): OpenAI-compatible vendors (DeepSeek, OpenRouter, Groq, Ollama, vLLM)
 * add and omit fields freely, and a stricter schema would only turn their quirks into outages.
 * @see https://platform.openai.com/docs/api-reference/chat
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineOpenAIChatSchemas } from './openai-api-schemas.js';

type Schemas = ReturnType<typeof defineOpenAIChatSchemas>;

/** Every schema, built on the first use of any of them: starting the gateway does not load zod. */
const getSchemas = schemasOnFirstUse(defineOpenAIChatSchemas);

export interface OpenAITextPart {
  type: 'text';
  text: string;
}

export interface OpenAIImagePart {
  type: 'image_url';
  image_url: { url: string };
}

export interface OpenAIFilePart {
  type: 'file';
  file: { filename?: string; file_data: string };
}

export type OpenAIUserContentPart = OpenAITextPart | OpenAIImagePart | OpenAIFilePart;

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIUserContentPart[] }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: OpenAIToolCall[];
      /** DeepSeek and friends want their reasoning echoed back on tool-call turns. */
      reasoning_content?: string;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OpenAIToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; function: { name: string } };

/** The request body Conduit sends. Vendor extensions (reasoning controls) ride in the index signature. */
export interface OpenAIChatRequest {
  model: string;
  messages: OpenAIChatMessage[];
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  user?: string;
  stream?: boolean;
  stream_options?: { include_usage: boolean };
  tools?: OpenAIChatTool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  [key: string]: unknown;
}

export type OpenAIUsage = z.infer<Schemas['openaiUsageSchema']>;

export const openaiChatResponseSchema = lazySchema(() => getSchemas().openaiChatResponseSchema);

export type OpenAIChatResponse = z.infer<typeof openaiChatResponseSchema>;

export const openaiChatChunkSchema = lazySchema(() => getSchemas().openaiChatChunkSchema);

export type OpenAIChatChunk = z.infer<typeof openaiChatChunkSchema>;

/** `{"error": {"message", "type", "code"}}`, and the plain-string variants some vendors use. */
export const openaiErrorBodySchema = lazySchema(() => getSchemas().openaiErrorBodySchema);
