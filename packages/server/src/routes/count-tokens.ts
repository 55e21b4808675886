import { type TokenCounter, countTokensRequestSchema } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { readInboundBody } from '../request/inbound-body.js';
import { parseJSONRequest } from '../request/parse-json-request.js';

/**
 * `POST /v1/messages/count_tokens`: counted locally with core's token counter (`cl100k_base` via
 * gpt-tokenizer, the same tokens as CCR's tiktoken), so `/context` in Claude Code works with any
 * provider.
 */
export function createCountTokensHandler(getTokenCounter: () => TokenCounter) {
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const request = parseJSONRequest(await readInboundBody(context.req), countTokensRequestSchema);
    const inputTokens = getTokenCounter().countRequest({
      messages: request.messages,
      system: request.system,
      tools: request.tools,
    });
    return context.json({ input_tokens: inputTokens });
  };
}
