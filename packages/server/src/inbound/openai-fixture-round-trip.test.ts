import { describe, expect, it } from '@jest/globals';
import { type MessagesRequest, messagesRequestSchema } from '@conduit/core';
import { listMessagesFixtures, readFixtureJSON } from '@conduit/test-utils';
import { convertToOpenAIRequest } from '../providers/openai/convert-to-openai-request.js';
import { convertToResponsesRequest } from '../providers/openai-responses/convert-to-responses-request.js';
import { chatCompletionRequestSchema } from './openai-chat/chat-completions-api.js';
import { convertChatToMessagesRequest } from './openai-chat/convert-chat-to-messages-request.js';
import { convertResponsesToMessagesRequest } from './openai-responses/convert-responses-to-messages-request.js';
import { responsesCreateRequestSchema } from './openai-responses/responses-inbound-api.js';

/**
 * The captured Claude Code traffic is Anthropic-shaped; the OpenAI requests it contains are what
 * Conduit's own adapters make of it (real agent conversations: system prompts, tools, tool results,
 * images, thinking). Each must survive the OpenAI door: OpenAI → internal → OpenAI gives the same
 * request back, so an OpenAI-compatible upstream sees what the client sent.
 */
const fixtures = listMessagesFixtures();

function fixtureRequest(name: string): MessagesRequest {
  return messagesRequestSchema.parse(readFixtureJSON(name));
}

describe('OpenAI requests in the captured fixtures round-trip through the OpenAI door', () => {
  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(20);
  });

  it.each(fixtures)('chat completions: %s', name => {
    const { body } = convertToOpenAIRequest(fixtureRequest(name), 'gpt-test', {
      reasoningFormat: 'reasoning_effort',
    });
    const clientBody = chatCompletionRequestSchema.parse(JSON.parse(JSON.stringify(body)));
    const internal = convertChatToMessagesRequest(clientBody);
    const { body: again } = convertToOpenAIRequest(internal.request, 'gpt-test', {
      reasoningFormat: 'reasoning_effort',
    });
    expect(JSON.parse(JSON.stringify(again))).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it.each(fixtures)('responses: %s', name => {
    const { body } = convertToResponsesRequest(fixtureRequest(name), 'gpt-test');
    const clientBody = responsesCreateRequestSchema.parse(JSON.parse(JSON.stringify(body)));
    const internal = convertResponsesToMessagesRequest(clientBody);
    const { body: again } = convertToResponsesRequest(internal.request, 'gpt-test');
    expect(again.input).toEqual(body.input);
    expect(again.instructions).toEqual(body.instructions);
    expect(again.tools).toEqual(body.tools);
    expect(again.reasoning).toEqual(body.reasoning);
  });
});
