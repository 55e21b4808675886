/**
 * The OpenAI Responses API (`POST /v1/responses`) wire format, as far as Conduit uses it. Request
 * types are plain interfaces; response schemas are loose so new fields never cause outages.
 * @see https://platform.openai.com/docs/api-reference/responses
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineResponsesSchemas } from './responses-api-schemas.js';

/** Every schema, built on the first use of any of them: starting the gateway does not load zod. */
const getSchemas = schemasOnFirstUse(defineResponsesSchemas);

export type ResponsesInputContent =
  | { type: 'input_text'; text: string }
  | { type: 'input_image'; image_url: string }
  | { type: 'input_file'; filename: string; file_data: string }
  | { type: 'output_text'; text: string };

export type ResponsesInputItem =
  | { role: 'user' | 'assistant' | 'developer'; content: string | ResponsesInputContent[] }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: string }
  | {
      type: 'reasoning';
      id: string;
      summary: Array<{ type: 'summary_text'; text: string }>;
      encrypted_content?: string;
    };

export interface ResponsesFunctionTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
  strict: boolean;
}

export type ResponsesToolChoice = 'auto' | 'required' | 'none' | { type: 'function'; name: string };

/** The request body Conduit sends. */
export interface ResponsesRequest {
  model: string;
  input: ResponsesInputItem[];
  instructions?: string;
  tools?: ResponsesFunctionTool[];
  tool_choice?: ResponsesToolChoice;
  parallel_tool_calls?: boolean;
  reasoning?: { effort: 'minimal' | 'low' | 'medium' | 'high'; summary: 'auto' | 'detailed' };
  max_output_tokens?: number;
  stream?: boolean;
  store?: boolean;
  include?: string[];
  [key: string]: unknown;
}

export const responsesUsageSchema = lazySchema(() => getSchemas().responsesUsageSchema);

export type ResponsesUsage = z.infer<typeof responsesUsageSchema>;

export const responsesOutputItemSchema = lazySchema(() => getSchemas().responsesOutputItemSchema);

export type ResponsesOutputItem = z.infer<typeof responsesOutputItemSchema>;

export const responsesResponseSchema = lazySchema(() => getSchemas().responsesResponseSchema);

export type ResponsesResponse = z.infer<typeof responsesResponseSchema>;

/** One streamed event (`data:` payload; its `type` repeats the SSE event name). */
export const responsesStreamEventSchema = lazySchema(() => getSchemas().responsesStreamEventSchema);

export type ResponsesStreamEvent = z.infer<typeof responsesStreamEventSchema>;
