/**
 * The OpenAI chat-completions wire format, as far as Conduit uses it.
 *
 * Request types are plain interfaces (Conduit builds them). Response schemas are deliberately loose
 * (`.nullish()`, `looseObject`): OpenAI-compatible vendors (DeepSeek, OpenRouter, Groq, Ollama, vLLM)
 * add and omit fields freely, and a stricter schema would only turn their quirks into outages.
 * @see https://platform.openai.com/docs/api-reference/chat
 * @module
 */
import { z } from 'zod';

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

const openaiUsageSchema = z
  .looseObject({
    prompt_tokens: z.number().nullish(),
    completion_tokens: z.number().nullish(),
    prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
    /** DeepSeek reports cache hits this way. */
    prompt_cache_hit_tokens: z.number().nullish(),
  })
  .nullish();

export type OpenAIUsage = z.infer<typeof openaiUsageSchema>;

const openaiToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({
    name: z.string().nullish(),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
  }),
});

export const openaiChatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      message: z.looseObject({
        content: z.string().nullish(),
        reasoning_content: z.string().nullish(),
        reasoning: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(openaiToolCallSchema).nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: openaiUsageSchema,
});

export type OpenAIChatResponse = z.infer<typeof openaiChatResponseSchema>;

export const openaiChatChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z
          .looseObject({
            content: z.string().nullish(),
            reasoning_content: z.string().nullish(),
            reasoning: z.string().nullish(),
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.looseObject({
                  index: z.number().nullish(),
                  id: z.string().nullish(),
                  function: z
                    .looseObject({
                      name: z.string().nullish(),
                      arguments: z.string().nullish(),
                    })
                    .nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: openaiUsageSchema,
  /** Some vendors report failures inside the stream. */
  error: z.unknown().optional(),
});

export type OpenAIChatChunk = z.infer<typeof openaiChatChunkSchema>;

/** `{"error": {"message", "type", "code"}}`, and the plain-string variants some vendors use. */
export const openaiErrorBodySchema = z.looseObject({
  error: z.union([
    z.string(),
    z.looseObject({ message: z.string().nullish(), type: z.string().nullish() }),
  ]),
});
