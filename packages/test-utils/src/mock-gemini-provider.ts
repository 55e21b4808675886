import { validateGeminiRequest } from './gemini-rules.js';
import { type MockHTTPServer, type MockResponse, startMockHTTPServer } from './mock-http-server.js';
import type { ScriptedAnswer } from './scripted-answer.js';
import { splitText } from './scripted-answer.js';
import { formatSSEFrame } from './sse.js';

const finishReasons: Record<ScriptedAnswer['stop'], string> = {
  end_turn: 'STOP',
  stop_sequence: 'STOP',
  max_tokens: 'MAX_TOKENS',
  tool_use: 'STOP',
  refusal: 'SAFETY',
};

/** A signature shaped like Gemini's (base64 of opaque bytes). */
export function mockThoughtSignature(seed: string): string {
  return Buffer.from(`mock-thought-signature:${seed}`).toString('base64');
}

export interface GeminiRenderOptions {
  /** Put thought signatures where Gemini does (thoughts, the first call, the last text part). */
  signatures?: boolean;
}

function geminiUsage(answer: ScriptedAnswer) {
  if (!answer.usage) return undefined;
  const thoughts = answer.reasoning
    ? Math.min(answer.usage.output, Math.ceil(answer.usage.output / 2))
    : 0;
  return {
    promptTokenCount: answer.usage.input + (answer.usage.cached ?? 0),
    ...(answer.usage.cached ? { cachedContentTokenCount: answer.usage.cached } : {}),
    candidatesTokenCount: answer.usage.output - thoughts,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    totalTokenCount: answer.usage.input + (answer.usage.cached ?? 0) + answer.usage.output,
  };
}

/** Parts for `answer`: thought, text, then one `functionCall` per call (with its documented `id`). */
function partsOf(answer: ScriptedAnswer, options: GeminiRenderOptions): Record<string, unknown>[] {
  const parts: Record<string, unknown>[] = [];
  if (answer.reasoning) parts.push({ text: answer.reasoning, thought: true });
  if (answer.text) parts.push({ text: answer.text });
  answer.toolCalls?.forEach((call, index) => {
    parts.push({
      functionCall: { id: call.id, name: call.name, args: call.input },
      ...(options.signatures && index === 0
        ? { thoughtSignature: mockThoughtSignature(`call-${call.id}`) }
        : {}),
    });
  });
  if (options.signatures && !answer.toolCalls?.length && answer.text) {
    (parts.find(part => part.text === answer.text) ?? {}).thoughtSignature =
      mockThoughtSignature('text');
  }
  return parts;
}

/** A non-streaming `generateContent` response for `answer`. */
export function createGeminiResponse(
  answer: ScriptedAnswer,
  options: GeminiRenderOptions = {},
): Record<string, unknown> {
  return {
    candidates: [
      {
        content: { role: 'model', parts: partsOf(answer, options) },
        finishReason: finishReasons[answer.stop],
        index: 0,
      },
    ],
    ...(answer.usage ? { usageMetadata: geminiUsage(answer) } : {}),
    modelVersion: answer.model ?? 'gemini-mock',
    responseId: 'mock-response-id',
  };
}

/**
 * `streamGenerateContent?alt=sse` chunks for `answer`, split as Gemini splits them: thoughts and
 * text in pieces, each function call whole in one chunk, the finish reason and usage on the last
 * chunk (the text signature rides on a final empty text part, as Gemini sends it).
 */
export function createGeminiChunks(
  answer: ScriptedAnswer,
  options: GeminiRenderOptions & { textPieceSize?: number } = {},
): Record<string, unknown>[] {
  const size = options.textPieceSize ?? 6;
  const chunk = (parts: Record<string, unknown>[], last = false) => ({
    candidates: [
      {
        content: { role: 'model', parts },
        ...(last ? { finishReason: finishReasons[answer.stop] } : {}),
        index: 0,
      },
    ],
    ...(last && answer.usage ? { usageMetadata: geminiUsage(answer) } : {}),
    modelVersion: answer.model ?? 'gemini-mock',
    responseId: 'mock-response-id',
  });
  const chunks: Record<string, unknown>[] = [];
  if (answer.reasoning) {
    for (const piece of splitText(answer.reasoning, size))
      chunks.push(chunk([{ text: piece, thought: true }]));
  }
  if (answer.text)
    for (const piece of splitText(answer.text, size)) chunks.push(chunk([{ text: piece }]));
  answer.toolCalls?.forEach((call, index) => {
    chunks.push(
      chunk([
        {
          functionCall: { id: call.id, name: call.name, args: call.input },
          ...(options.signatures && index === 0
            ? { thoughtSignature: mockThoughtSignature(`call-${call.id}`) }
            : {}),
        },
      ]),
    );
  });
  const finalParts =
    options.signatures && !answer.toolCalls?.length && answer.text
      ? [{ text: '', thoughtSignature: mockThoughtSignature('text') }]
      : [{ text: '' }];
  chunks.push(chunk(finalParts, true));
  return chunks;
}

/** Gemini's error envelope. */
export function createGeminiError(
  code: number,
  message: string,
  status: string,
): Record<string, unknown> {
  return { error: { code, message, status } };
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** The status name Gemini uses for an HTTP status. */
export function geminiStatusName(code: number): string {
  return statusNames[code] ?? 'UNKNOWN';
}

/** Renders `answer` (SSE frames for streams: `data:` lines, no `[DONE]`, as Gemini sends them). */
export function renderGeminiAnswer(
  answer: ScriptedAnswer,
  stream: boolean,
  options: GeminiRenderOptions = {},
): MockResponse {
  return stream
    ? {
        type: 'sse',
        frames: createGeminiChunks(answer, options).map(chunk => formatSSEFrame(chunk)),
      }
    : { type: 'json', body: createGeminiResponse(answer, options) };
}

/** A recording mock of the Gemini API. */
export interface MockGeminiProvider extends MockHTTPServer {
  /** CCR's `api_base_url` for it: `<url>/v1beta/models/`. */
  endpoint: string;
  /** Queues `answer` (rendered for the stream or non-stream request that comes). */
  replyWith(answer: ScriptedAnswer, options?: { stream?: boolean; signatures?: boolean }): void;
}

/** `/v1beta/models/{model}:{action}` → its parts. */
export function parseGeminiPath(path: string): { model: string; action: string } | undefined {
  const match = /\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  return match ? { model: decodeURIComponent(match[1]!), action: match[2]! } : undefined;
}

/**
 * Starts a recording Gemini mock on 127.0.0.1. Every request is checked as Gemini checks it
 * (`x-goog-api-key`, path, `alt=sse` for streams, `validateGeminiRequest`) and a bad one gets
 * Gemini's 400 `INVALID_ARGUMENT` before any queued answer is used. Good requests are answered
 * from the queue, else with "Hello from Gemini." in the requested form; signatures are added
 * when the request asks for thoughts (`includeThoughts`).
 */
export async function startMockGeminiProvider(): Promise<MockGeminiProvider> {
  const server = await startMockHTTPServer();
  const queue: Array<{ answer?: ScriptedAnswer; signatures?: boolean; response?: MockResponse }> =
    [];
  const originalReset = server.reset;
  const wantsThoughts = (json: unknown) =>
    (json as { generationConfig?: { thinkingConfig?: { includeThoughts?: boolean } } } | undefined)
      ?.generationConfig?.thinkingConfig?.includeThoughts === true;
  server.setDefaultResponder(request => {
    const route = parseGeminiPath(request.path);
    const invalid = (code: number, message: string): MockResponse => ({
      type: 'json',
      status: code,
      body: createGeminiError(code, message, geminiStatusName(code)),
    });
    if (!route) return invalid(404, `Unknown path ${request.path}`);
    if (!request.headers['x-goog-api-key']) {
      return invalid(403, "Method doesn't allow unregistered callers. Please use API Key.");
    }
    const stream = route.action === 'streamGenerateContent';
    if (stream && !request.url.includes('alt=sse'))
      return invalid(400, 'streamGenerateContent without alt=sse');
    const problems = validateGeminiRequest(request.json);
    if (problems.length > 0)
      return invalid(
        400,
        `* GenerateContentRequest.${problems.join('\n* GenerateContentRequest.')}`,
      );
    const next = queue.shift();
    if (next?.response) return next.response;
    const answer = next?.answer ?? {
      text: 'Hello from Gemini.',
      stop: 'end_turn' as const,
      usage: { input: 10, output: 5 },
    };
    return renderGeminiAnswer(answer, stream, {
      signatures: next?.signatures ?? wantsThoughts(request.json),
    });
  });
  return Object.assign(server, {
    endpoint: `${server.url}/v1beta/models/`,
    enqueue: (...responses: MockResponse[]) => {
      queue.push(...responses.map(response => ({ response })));
    },
    reset: () => {
      originalReset();
      queue.length = 0;
    },
    replyWith(answer: ScriptedAnswer, options: { stream?: boolean; signatures?: boolean } = {}) {
      queue.push({ answer, signatures: options.signatures });
    },
  });
}
