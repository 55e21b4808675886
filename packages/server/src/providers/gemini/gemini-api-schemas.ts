/**
 * The zod schemas of the Gemini API response types, built on first use;
 * `gemini-api.ts` exports them.
 * @module
 */
type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `loadZod` in `@conduit/core`). */
export function defineGeminiSchemas(z: Zod) {
  const geminiPartSchema = z.looseObject({
    text: z.string().nullish(),
    thought: z.boolean().nullish(),
    thoughtSignature: z.string().nullish(),
    functionCall: z
      .looseObject({
        name: z.string().nullish(),
        args: z.record(z.string(), z.unknown()).nullish(),
        id: z.string().nullish(),
      })
      .nullish(),
  });

  const geminiUsageSchema = z
    .looseObject({
      promptTokenCount: z.number().nullish(),
      cachedContentTokenCount: z.number().nullish(),
      candidatesTokenCount: z.number().nullish(),
      thoughtsTokenCount: z.number().nullish(),
      toolUsePromptTokenCount: z.number().nullish(),
    })
    .nullish();

  /** A `generateContent` response, and each chunk of `streamGenerateContent?alt=sse`. */
  const geminiResponseSchema = z.looseObject({
    responseId: z.string().nullish(),
    candidates: z
      .array(
        z.looseObject({
          content: z.looseObject({ parts: z.array(geminiPartSchema).nullish() }).nullish(),
          finishReason: z.string().nullish(),
        }),
      )
      .nullish(),
    promptFeedback: z.looseObject({ blockReason: z.string().nullish() }).nullish(),
    usageMetadata: geminiUsageSchema,
    /** Errors reported inside a stream. */
    error: z
      .looseObject({
        code: z.number().nullish(),
        message: z.string().nullish(),
        status: z.string().nullish(),
      })
      .nullish(),
  });
  return {
    geminiPartSchema,
    geminiUsageSchema,
    geminiResponseSchema,
  };
}
