/**
 * The zod schemas of the Anthropic Messages API types, built on first use; `anthropic-messages.ts`
 * exports them.
 * @module
 */
import type { z } from 'zod';

type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `load-zod.ts`). */
export function defineMessageSchemas(z: Zod) {
  const cacheControlSchema = z.looseObject({ type: z.string() });

  const textBlockSchema = z.looseObject({
    type: z.literal('text'),
    text: z.string(),
    cache_control: cacheControlSchema.nullish(),
  });

  const imageSourceSchema = z.union([
    z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
    z.looseObject({ type: z.literal('url'), url: z.string() }),
    z.looseObject({ type: z.string() }),
  ]);

  const imageBlockSchema = z.looseObject({
    type: z.literal('image'),
    source: imageSourceSchema,
    cache_control: cacheControlSchema.nullish(),
  });

  const toolUseBlockSchema = z.looseObject({
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
  const toolResultContentBlockSchema = z.looseObject({ type: z.string() }).superRefine(
    refineKnownBlock(
      new Map<string, z.ZodType>([
        ['text', textBlockSchema],
        ['image', imageBlockSchema],
      ]),
    ),
  );

  const toolResultBlockSchema = z.looseObject({
    type: z.literal('tool_result'),
    tool_use_id: z.string(),
    content: z.union([z.string(), z.array(toolResultContentBlockSchema)]).optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControlSchema.nullish(),
  });

  const thinkingBlockSchema = z.looseObject({
    type: z.literal('thinking'),
    thinking: z.string(),
    signature: z.string().optional(),
  });

  const redactedThinkingBlockSchema = z.looseObject({
    type: z.literal('redacted_thinking'),
    data: z.string(),
  });

  /**
   * Any content block: the known ones are validated (what translation reads must have the right
   * shape), unknown types (documents, server tools) pass.
   */
  const contentBlockSchema = z.looseObject({ type: z.string() }).superRefine(
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

  const messageParamSchema = z.looseObject({
    role: z.enum(['user', 'assistant', 'system']),
    content: z.union([z.string(), z.array(contentBlockSchema)]),
  });

  const toolSchema = z.looseObject({
    name: z.string(),
    type: z.string().optional(),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
  });

  const toolChoiceSchema = z.looseObject({
    type: z.enum(['auto', 'any', 'tool', 'none']),
    name: z.string().optional(),
    disable_parallel_tool_use: z.boolean().optional(),
  });

  const thinkingConfigSchema = z.looseObject({
    type: z.enum(['enabled', 'disabled', 'adaptive']),
    budget_tokens: z.number().int().nonnegative().optional(),
  });

  const messagesRequestSchema = z.looseObject({
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
  const countTokensRequestSchema = messagesRequestSchema.omit({
    max_tokens: true,
    stream: true,
  });
  return {
    cacheControlSchema,
    textBlockSchema,
    imageSourceSchema,
    imageBlockSchema,
    toolUseBlockSchema,
    toolResultContentBlockSchema,
    toolResultBlockSchema,
    thinkingBlockSchema,
    redactedThinkingBlockSchema,
    contentBlockSchema,
    messageParamSchema,
    toolSchema,
    toolChoiceSchema,
    thinkingConfigSchema,
    messagesRequestSchema,
    countTokensRequestSchema,
  };
}
