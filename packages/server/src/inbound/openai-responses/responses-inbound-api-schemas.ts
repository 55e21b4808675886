/**
 * The zod schemas of the inbound Responses API request types, built on first use;
 * `responses-inbound-api.ts` exports them.
 * @module
 */
type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `loadZod` in `@conduit/core`). */
export function defineResponsesInboundSchemas(z: Zod) {
  const responsesInputItemSchema = z.looseObject({
    type: z.string().optional(),
    role: z.string().optional(),
    content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).nullish(),
    call_id: z.string().optional(),
    name: z.string().optional(),
    arguments: z.string().optional(),
    input: z.string().optional(),
    output: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
    encrypted_content: z.string().nullish(),
  });

  const responsesToolSchema = z.looseObject({
    type: z.string(),
    name: z.string().optional(),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
  });

  const responsesCreateRequestSchema = z.looseObject({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(responsesInputItemSchema)]),
    instructions: z.string().nullish(),
    tools: z.array(responsesToolSchema).nullish(),
    tool_choice: z
      .union([
        z.enum(['auto', 'none', 'required']),
        z.looseObject({ type: z.string(), name: z.string().optional() }),
      ])
      .nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    reasoning: z
      .looseObject({ effort: z.string().nullish(), summary: z.string().nullish() })
      .nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stream: z.boolean().nullish(),
    user: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    previous_response_id: z.string().nullish(),
    text: z.looseObject({ format: z.looseObject({ type: z.string() }).nullish() }).nullish(),
  });
  return {
    responsesInputItemSchema,
    responsesToolSchema,
    responsesCreateRequestSchema,
  };
}
