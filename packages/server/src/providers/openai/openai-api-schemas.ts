/**
 * The zod schemas of the OpenAI chat-completions response types, built on first use;
 * `openai-api.ts` exports them.
 * @module
 */
type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `loadZod` in `@conduit/core`). */
export function defineOpenAIChatSchemas(z: Zod) {
  const openaiUsageSchema = z
    .looseObject({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      /** DeepSeek reports cache hits this way. */
      prompt_cache_hit_tokens: z.number().nullish(),
    })
    .nullish();

  const openaiToolCallSchema = z.looseObject({
    id: z.string().nullish(),
    type: z.string().nullish(),
    function: z.looseObject({
      name: z.string().nullish(),
      arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
    }),
  });

  const openaiChatResponseSchema = z.looseObject({
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

  const openaiChatChunkSchema = z.looseObject({
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

  /** `{"error": {"message", "type", "code"}}`, and the plain-string variants some vendors use. */
  const openaiErrorBodySchema = z.looseObject({
    error: z.union([
      z.string(),
      z.looseObject({ message: z.string().nullish(), type: z.string().nullish() }),
    ]),
  });
  return {
    openaiUsageSchema,
    openaiToolCallSchema,
    openaiChatResponseSchema,
    openaiChatChunkSchema,
    openaiErrorBodySchema,
  };
}
