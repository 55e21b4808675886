import { type MockHTTPServer, type MockResponse, startMockHTTPServer } from './mock-http-server.js';
import type { ScriptedAnswer } from './scripted-answer.js';
import { splitText } from './scripted-answer.js';
import { formatOpenAISSE } from './sse.js';

const finishReasons: Record<ScriptedAnswer['stop'], string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

function openaiUsage(answer: ScriptedAnswer) {
  if (!answer.usage) return undefined;
  return {
    prompt_tokens: answer.usage.input + (answer.usage.cached ?? 0),
    completion_tokens: answer.usage.output,
    total_tokens: answer.usage.input + (answer.usage.cached ?? 0) + answer.usage.output,
    prompt_tokens_details: { cached_tokens: answer.usage.cached ?? 0 },
  };
}

/** A non-streaming chat completion for `answer` (reasoning as DeepSeek's `reasoning_content`). */
export function createOpenAICompletion(answer: ScriptedAnswer): Record<string, unknown> {
  return {
    id: 'chatcmpl-mock',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: answer.model ?? 'mock-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text ?? null,
          ...(answer.reasoning ? { reasoning_content: answer.reasoning } : {}),
          ...(answer.toolCalls
            ? {
                tool_calls: answer.toolCalls.map(call => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.input) },
                })),
              }
            : {}),
        },
        finish_reason: finishReasons[answer.stop],
      },
    ],
    ...(answer.usage ? { usage: openaiUsage(answer) } : {}),
  };
}

/**
 * Stream chunks for `answer`, split the way real vendors split them: text and reasoning in small
 * deltas, each tool call's arguments over many deltas (`argumentPieceSize` characters each), the
 * finish reason in its own chunk, and usage last in a chunk without choices.
 */
export function createOpenAIChunks(
  answer: ScriptedAnswer,
  options: { argumentPieceSize?: number; textPieceSize?: number } = {},
): Record<string, unknown>[] {
  const base = {
    id: 'chatcmpl-mock',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: answer.model ?? 'mock-model',
  };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const chunks: Record<string, unknown>[] = [chunk({ role: 'assistant', content: '' })];
  const textPieceSize = options.textPieceSize ?? 5;
  if (answer.reasoning) {
    for (const piece of splitText(answer.reasoning, textPieceSize))
      chunks.push(chunk({ reasoning_content: piece }));
  }
  if (answer.text) {
    for (const piece of splitText(answer.text, textPieceSize))
      chunks.push(chunk({ content: piece }));
  }
  answer.toolCalls?.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of splitText(JSON.stringify(call.input), options.argumentPieceSize ?? 4)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, finishReasons[answer.stop]));
  const usage = openaiUsage(answer);
  if (usage) chunks.push({ ...base, choices: [], usage });
  return chunks;
}

/** A mock OpenAI-compatible chat-completions provider. */
export interface MockOpenAIProvider extends MockHTTPServer {
  /** The full endpoint URL, as CCR's `api_base_url` wants it. */
  endpoint: string;
  /** Queues `answer` as JSON or as an SSE stream. */
  replyWith(answer: ScriptedAnswer, options?: { stream?: boolean }): void;
}

/** Renders `answer` as the response to a request (streamed when the request asked for it). */
export function renderOpenAIAnswer(answer: ScriptedAnswer, stream: boolean): MockResponse {
  return stream
    ? { type: 'sse', frames: formatOpenAISSE(createOpenAIChunks(answer)) }
    : { type: 'json', body: createOpenAICompletion(answer) };
}

/**
 * Starts a recording OpenAI-compatible mock on 127.0.0.1. By default it answers "Hello from the
 * mock." in the format the request asked for (`stream: true` → SSE).
 */
export async function startMockOpenAIProvider(): Promise<MockOpenAIProvider> {
  const server = await startMockHTTPServer();
  server.setDefaultResponder(request =>
    renderOpenAIAnswer(
      { text: 'Hello from the mock.', stop: 'end_turn', usage: { input: 10, output: 5 } },
      (request.json as { stream?: boolean } | undefined)?.stream === true,
    ),
  );
  return Object.assign(server, {
    endpoint: `${server.url}/v1/chat/completions`,
    replyWith(answer: ScriptedAnswer, options: { stream?: boolean } = {}) {
      server.enqueue(renderOpenAIAnswer(answer, options.stream === true));
    },
  });
}
