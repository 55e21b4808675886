/**
 * The inbound OpenAI Responses API (`POST /v1/responses`) as Conduit accepts it: stateless (no
 * `previous_response_id`, nothing stored), function and custom tools, text, images and files.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineResponsesInboundSchemas } from './responses-inbound-api-schemas.js';

/** Every schema, built on the first use of any of them: starting the gateway does not load zod. */
const getSchemas = schemasOnFirstUse(defineResponsesInboundSchemas);

export const responsesInputItemSchema = lazySchema(() => getSchemas().responsesInputItemSchema);

export const responsesCreateRequestSchema = lazySchema(
  () => getSchemas().responsesCreateRequestSchema,
);

export type ResponsesCreateRequest = z.infer<typeof responsesCreateRequestSchema>;
export type ResponsesInputItemIn = z.infer<typeof responsesInputItemSchema>;

export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export type ResponsesOutputItemOut =
  | {
      type: 'message';
      id: string;
      status: 'in_progress' | 'completed';
      role: 'assistant';
      content: ResponsesOutputText[];
    }
  | {
      type: 'function_call';
      id: string;
      call_id: string;
      name: string;
      arguments: string;
      status: 'in_progress' | 'completed';
    }
  | {
      type: 'custom_tool_call';
      id: string;
      call_id: string;
      name: string;
      input: string;
      status: 'in_progress' | 'completed';
    }
  | {
      type: 'reasoning';
      id: string;
      summary: Array<{ type: 'summary_text'; text: string }>;
      /** The thinking block (text and signature), for stateless clients to send back. */
      encrypted_content?: string;
    };

/** The `response` object (non-streaming body, and inside `response.*` stream events). */
export interface ResponseObject {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  error: { code: string; message: string } | null;
  incomplete_details: { reason: string } | null;
  instructions: string | null;
  max_output_tokens: number | null;
  model: string;
  output: ResponsesOutputItemOut[];
  output_text?: string;
  parallel_tool_calls: boolean;
  previous_response_id: null;
  reasoning: { effort: string | null; summary: string | null };
  store: false;
  temperature: number | null;
  text: { format: { type: string } };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  truncation: 'disabled';
  usage: import('../common/convert-openai-usage-out.js').ResponsesUsageOut | null;
  user: string | null;
  metadata: Record<string, unknown>;
}
