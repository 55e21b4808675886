/**
 * The zod schemas of the inbound Chat Completions request types, built on first use;
 * `chat-completions-api.ts` exports them.
 * @module
 */
type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `loadZod` in `@conduit/core`). */
export function defineChatCompletionsSchemas(z: Zod) {
  const contentPartSchema = z.looseObject({ type: z.string() });

  const toolCallSchema = z.looseObject({
    id: z.string(),
    type: z.string().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.string().nullish() }),
  });

  const chatMessageSchema = z.looseObject({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
    content: z.union([z.string(), z.array(contentPartSchema)]).nullish(),
    name: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
    tool_call_id: z.string().nullish(),
  });

  const functionToolSchema = z.looseObject({
    type: z.literal('function'),
    function: z.looseObject({
      name: z.string().min(1),
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  });

  const chatToolChoiceSchema = z.union([
    z.enum(['auto', 'none', 'required']),
    z.looseObject({
      type: z.literal('function'),
      function: z.looseObject({ name: z.string() }),
    }),
  ]);

  const chatCompletionRequestSchema = z.looseObject({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    stop: z.union([z.string(), z.array(z.string())]).nullish(),
    stream: z.boolean().nullish(),
    stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
    tools: z.array(functionToolSchema).nullish(),
    tool_choice: chatToolChoiceSchema.nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    reasoning_effort: z.string().nullish(),
    n: z.number().int().positive().nullish(),
    user: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    response_format: z.looseObject({ type: z.string() }).nullish(),
  });
  return {
    contentPartSchema,
    toolCallSchema,
    chatMessageSchema,
    functionToolSchema,
    chatToolChoiceSchema,
    chatCompletionRequestSchema,
  };
}
