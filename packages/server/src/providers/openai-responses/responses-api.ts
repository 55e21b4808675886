/**
 * The OpenAI Responses API (`POST /v1/responses`) wire format, as far as Conduit uses it. Request
 * types are plain interfaces; response schemas are loose so new fields never cause outages.
 * @see https://platform.openai.com/docs/api-reference/responses
 * @module
 */
import { z } from 'zod';

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

export const responsesUsageSchema = z
  .looseObject({
    input_tokens: z.number().nullish(),
    input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
    output_tokens: z.number().nullish(),
  })
  .nullish();

export type ResponsesUsage = z.infer<typeof responsesUsageSchema>;

export const responsesOutputItemSchema = z.looseObject({
  type: z.string(),
  id: z.string().nullish(),
  /** function_call */
  call_id: z.string().nullish(),
  name: z.string().nullish(),
  arguments: z.string().nullish(),
  /** message */
  content: z
    .array(
      z.looseObject({
        type: z.string(),
        text: z.string().nullish(),
        refusal: z.string().nullish(),
      }),
    )
    .nullish(),
  /** reasoning */
  summary: z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })).nullish(),
  encrypted_content: z.string().nullish(),
});

export type ResponsesOutputItem = z.infer<typeof responsesOutputItemSchema>;

export const responsesResponseSchema = z.looseObject({
  id: z.string().nullish(),
  status: z.string().nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  output: z.array(responsesOutputItemSchema).nullish(),
  usage: responsesUsageSchema,
});

export type ResponsesResponse = z.infer<typeof responsesResponseSchema>;

/** One streamed event (`data:` payload; its `type` repeats the SSE event name). */
export const responsesStreamEventSchema = z.looseObject({
  type: z.string(),
  output_index: z.number().nullish(),
  summary_index: z.number().nullish(),
  item_id: z.string().nullish(),
  delta: z.string().nullish(),
  arguments: z.string().nullish(),
  item: responsesOutputItemSchema.nullish(),
  response: responsesResponseSchema.nullish(),
  /** `error` events */
  code: z.string().nullish(),
  message: z.string().nullish(),
});

export type ResponsesStreamEvent = z.infer<typeof responsesStreamEventSchema>;
