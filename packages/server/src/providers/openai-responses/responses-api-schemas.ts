/**
 * The zod schemas of the OpenAI Responses API response types, built on first use;
 * `responses-api.ts` exports them.
 * @module
 */
type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `loadZod` in `@conduit/core`). */
export function defineResponsesSchemas(z: Zod) {
  const responsesUsageSchema = z
    .looseObject({
      input_tokens: z.number().nullish(),
      input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      output_tokens: z.number().nullish(),
    })
    .nullish();

  const responsesOutputItemSchema = z.looseObject({
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

  const responsesResponseSchema = z.looseObject({
    id: z.string().nullish(),
    status: z.string().nullish(),
    incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
    error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
    output: z.array(responsesOutputItemSchema).nullish(),
    usage: responsesUsageSchema,
  });

  /** One streamed event (`data:` payload; its `type` repeats the SSE event name). */
  const responsesStreamEventSchema = z.looseObject({
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
  return {
    responsesUsageSchema,
    responsesOutputItemSchema,
    responsesResponseSchema,
    responsesStreamEventSchema,
  };
}
