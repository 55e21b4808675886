/**
 * Fields an OpenAI client sent that have no Anthropic equivalent (`response_format`, `seed`,
 * `logprobs`, `max_completion_tokens`, `reasoning_effort`, …). The OpenAI door keeps them on the
 * internal Messages request under a symbol: JSON never serializes it, so Anthropic, Gemini and
 * Responses upstreams never see them, while the OpenAI-compatible adapter puts them back and the
 * upstream gets the client's own request with only the routed model changed.
 */
const clientFieldsKey = Symbol.for('conduit.openai-chat-client-fields');

/** Keeps `fields` on `target` (a request or one of its messages) for the OpenAI-compatible adapter. */
export function attachOpenAIClientFields<T extends object>(
  target: T,
  fields: Record<string, unknown>,
): T {
  if (Object.keys(fields).length > 0) {
    Object.defineProperty(target, clientFieldsKey, {
      value: { ...readOpenAIClientFields(target), ...fields },
      enumerable: true,
      configurable: true,
    });
  }
  return target;
}

/** The client's own fields, when the request (or message) came in through the OpenAI chat door. */
export function readOpenAIClientFields(target: object): Record<string, unknown> | undefined {
  return (target as Record<symbol, Record<string, unknown> | undefined>)[clientFieldsKey];
}
