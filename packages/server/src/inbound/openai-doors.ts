import type { MessagesResponse } from '@conduit/core';
import { parseJSONRequest } from '../request/parse-json-request.js';
import type { InboundDoor } from './inbound-door.js';
import { chatCompletionRequestSchema } from './openai-chat/chat-completions-api.js';
import { ChatCompletionStreamState } from './openai-chat/chat-completion-stream-state.js';
import { convertChatToMessagesRequest } from './openai-chat/convert-chat-to-messages-request.js';
import { convertMessagesToChatCompletion } from './openai-chat/convert-messages-to-chat-completion.js';
import { encodeChatStreamFrame } from './openai-chat/encode-chat-stream-frame.js';
import { convertMessagesToResponse } from './openai-responses/convert-messages-to-response.js';
import { convertResponsesToMessagesRequest } from './openai-responses/convert-responses-to-messages-request.js';
import { responsesCreateRequestSchema } from './openai-responses/responses-inbound-api.js';
import { encodeResponsesStreamEvent } from './openai-responses/responses-stream-events.js';
import { ResponsesStreamState } from './openai-responses/responses-stream-state.js';
import { translateAnthropicStream } from './common/translate-anthropic-stream.js';

const epochSeconds = (now: () => number) => Math.floor(now() / 1000);

/** `POST /v1/chat/completions`. */
export function createOpenAIChatDoor(now: () => number = Date.now): InboundDoor {
  return {
    clientApi: 'openai-chat',
    parse(body) {
      const converted = convertChatToMessagesRequest(
        parseJSONRequest(body, chatCompletionRequestSchema),
      );
      return {
        request: converted.request,
        forwardRawBody: false,
        render: {
          json: body =>
            JSON.stringify(
              convertMessagesToChatCompletion(JSON.parse(body) as MessagesResponse, {
                created: epochSeconds(now),
              }),
            ),
          stream: source =>
            translateAnthropicStream(
              source,
              new ChatCompletionStreamState({
                includeUsage: converted.includeUsage,
                created: epochSeconds(now),
              }),
              encodeChatStreamFrame,
            ),
        },
      };
    },
  };
}

/** `POST /v1/responses`. */
export function createOpenAIResponsesDoor(now: () => number = Date.now): InboundDoor {
  return {
    clientApi: 'openai-responses',
    parse(body) {
      const request = parseJSONRequest(body, responsesCreateRequestSchema);
      const converted = convertResponsesToMessagesRequest(request);
      const options = { body: request, customToolNames: converted.customToolNames };
      return {
        request: converted.request,
        forwardRawBody: false,
        render: {
          json: anthropicBody =>
            JSON.stringify(
              convertMessagesToResponse(JSON.parse(anthropicBody) as MessagesResponse, {
                ...options,
                createdAt: epochSeconds(now),
              }),
            ),
          stream: source =>
            translateAnthropicStream(
              source,
              new ResponsesStreamState({ ...options, createdAt: epochSeconds(now) }),
              encodeResponsesStreamEvent,
            ),
        },
      };
    },
  };
}

/** The paths whose errors are sent in OpenAI's envelope. */
export const openAIDoorPaths: readonly string[] = ['/v1/chat/completions', '/v1/responses'];
