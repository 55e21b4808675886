import { readFixtureText } from './claude-code-fixtures.js';
import { type MockHTTPServer, type MockResponse, startMockHTTPServer } from './mock-http-server.js';
import type { ScriptedAnswer } from './scripted-answer.js';
import { splitText } from './scripted-answer.js';
import { formatAnthropicSSE, splitSSEFrames } from './sse.js';

type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

function blocksOf(answer: ScriptedAnswer): Block[] {
  const blocks: Block[] = [];
  if (answer.reasoning)
    blocks.push({ type: 'thinking', thinking: answer.reasoning, signature: 'mock-signature' });
  if (answer.text !== undefined) blocks.push({ type: 'text', text: answer.text });
  for (const call of answer.toolCalls ?? []) blocks.push({ type: 'tool_use', ...call });
  return blocks;
}

function anthropicUsage(answer: ScriptedAnswer) {
  return {
    input_tokens: answer.usage?.input ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: answer.usage?.cached ?? 0,
    output_tokens: answer.usage?.output ?? 0,
  };
}

/** A non-streaming Anthropic message for `answer`. */
export function createAnthropicMessage(answer: ScriptedAnswer): Record<string, unknown> {
  return {
    id: 'msg_mock',
    type: 'message',
    role: 'assistant',
    model: answer.model ?? 'claude-mock',
    content: blocksOf(answer),
    stop_reason: answer.stop,
    stop_sequence: null,
    usage: anthropicUsage(answer),
  };
}

/** The SSE events Anthropic would send for `answer`, in the API's order. */
export function createAnthropicEvents(answer: ScriptedAnswer): Array<{ type: string }> {
  const usage = anthropicUsage(answer);
  const events: Array<{ type: string; [key: string]: unknown }> = [
    {
      type: 'message_start',
      message: {
        ...createAnthropicMessage(answer),
        content: [],
        stop_reason: null,
        usage: { ...usage, output_tokens: 1 },
      },
    },
  ];
  blocksOf(answer).forEach((block, index) => {
    const start =
      block.type === 'thinking'
        ? { type: 'thinking', thinking: '', signature: '' }
        : block.type === 'text'
          ? { type: 'text', text: '' }
          : { ...block, input: {} };
    events.push({ type: 'content_block_start', index, content_block: start });
    if (index === 0) events.push({ type: 'ping' });
    if (block.type === 'thinking') {
      for (const piece of splitText(block.thinking, 6)) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: piece },
        });
      }
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: block.signature },
      });
    } else if (block.type === 'text') {
      for (const piece of splitText(block.text, 6)) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: piece },
        });
      }
    } else {
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: '' },
      });
      for (const piece of splitText(JSON.stringify(block.input), 5)) {
        events.push({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push(
    {
      type: 'message_delta',
      delta: { stop_reason: answer.stop, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    },
    { type: 'message_stop' },
  );
  return events;
}

/** Renders `answer` as JSON or SSE. */
export function renderAnthropicAnswer(answer: ScriptedAnswer, stream: boolean): MockResponse {
  return stream
    ? {
        type: 'sse',
        frames: formatAnthropicSSE(createAnthropicEvents(answer)),
        headers: { 'request-id': 'req_mock' },
      }
    : { type: 'json', body: createAnthropicMessage(answer), headers: { 'request-id': 'req_mock' } };
}

/** A mock Anthropic Messages API. */
export interface MockAnthropicProvider extends MockHTTPServer {
  /** `<url>/v1/messages`, as CCR's `api_base_url` wants it. */
  endpoint: string;
  replyWith(answer: ScriptedAnswer, options?: { stream?: boolean }): void;
  /** Replays a captured SSE fixture (`cc-response-*.sse`) frame by frame. */
  replyWithFixture(name: string, options?: { cutAfterFrames?: number }): void;
}

/**
 * Starts a recording Anthropic mock on 127.0.0.1. By default it replays
 * `cc-response-text.sse` for streaming requests and `cc-response-nonstream.json` otherwise.
 */
export async function startMockAnthropicProvider(): Promise<MockAnthropicProvider> {
  const server = await startMockHTTPServer();
  server.setDefaultResponder(request =>
    (request.json as { stream?: boolean } | undefined)?.stream === true
      ? { type: 'sse', frames: splitSSEFrames(readFixtureText('cc-response-text.sse')) }
      : { type: 'raw', body: readFixtureText('cc-response-nonstream.json') },
  );
  return Object.assign(server, {
    endpoint: `${server.url}/v1/messages`,
    replyWith(answer: ScriptedAnswer, options: { stream?: boolean } = {}) {
      server.enqueue(renderAnthropicAnswer(answer, options.stream === true));
    },
    replyWithFixture(name: string, options: { cutAfterFrames?: number } = {}) {
      server.enqueue({ type: 'sse', frames: splitSSEFrames(readFixtureText(name)), ...options });
    },
  });
}
