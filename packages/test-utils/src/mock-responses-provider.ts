import { type MockHTTPServer, type MockResponse, startMockHTTPServer } from './mock-http-server.js';
import { validateResponsesRequest } from './responses-rules.js';
import type { ScriptedAnswer } from './scripted-answer.js';
import { splitText } from './scripted-answer.js';
import { formatSSEFrame } from './sse.js';

/** The encrypted reasoning the mock hands out (opaque, as OpenAI's is). */
export function mockEncryptedReasoning(seed: string): string {
  return `gAAAA${Buffer.from(`mock-encrypted-reasoning:${seed}`).toString('base64')}`;
}

export interface ResponsesRenderOptions {
  /** Include `encrypted_content` on reasoning items (the request asked for it). */
  encryptedReasoning?: boolean;
}

function responsesUsage(answer: ScriptedAnswer) {
  if (!answer.usage) return undefined;
  return {
    input_tokens: answer.usage.input + (answer.usage.cached ?? 0),
    input_tokens_details: { cached_tokens: answer.usage.cached ?? 0 },
    output_tokens: answer.usage.output,
    output_tokens_details: {
      reasoning_tokens: answer.reasoning ? Math.ceil(answer.usage.output / 2) : 0,
    },
    total_tokens: answer.usage.input + (answer.usage.cached ?? 0) + answer.usage.output,
  };
}

function outputItems(
  answer: ScriptedAnswer,
  options: ResponsesRenderOptions,
): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (answer.reasoning) {
    items.push({
      type: 'reasoning',
      id: 'rs_mock_1',
      summary: [{ type: 'summary_text', text: answer.reasoning }],
      ...(options.encryptedReasoning
        ? { encrypted_content: mockEncryptedReasoning('rs_mock_1') }
        : {}),
    });
  }
  if (answer.text !== undefined) {
    items.push({
      type: 'message',
      id: 'msg_mock_1',
      status: 'completed',
      role: 'assistant',
      content: [
        answer.stop === 'refusal'
          ? { type: 'refusal', refusal: answer.text }
          : { type: 'output_text', text: answer.text, annotations: [] },
      ],
    });
  }
  answer.toolCalls?.forEach((call, index) => {
    items.push({
      type: 'function_call',
      id: `fc_mock_${index}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.input),
      status: 'completed',
    });
  });
  return items;
}

function statusOf(answer: ScriptedAnswer): Record<string, unknown> {
  if (answer.stop === 'max_tokens') {
    return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  }
  return { status: 'completed', incomplete_details: null };
}

/** A non-streaming Responses API answer for `answer`. */
export function createResponsesResponse(
  answer: ScriptedAnswer,
  options: ResponsesRenderOptions = {},
): Record<string, unknown> {
  return {
    id: 'resp_mock',
    object: 'response',
    created_at: 1_700_000_000,
    model: answer.model ?? 'gpt-5-mock',
    ...statusOf(answer),
    output: outputItems(answer, options),
    usage: responsesUsage(answer) ?? null,
  };
}

/**
 * The `response.*` events for `answer`, in the documented order: `response.created`,
 * `response.in_progress`, then per output item `output_item.added`, its deltas (reasoning summary
 * text, output text, function-call arguments) and `output_item.done`, then `response.completed`
 * (or `response.incomplete`). Each carries a `sequence_number`.
 */
export function createResponsesEvents(
  answer: ScriptedAnswer,
  options: ResponsesRenderOptions & { pieceSize?: number } = {},
): Record<string, unknown>[] {
  const size = options.pieceSize ?? 5;
  const events: Record<string, unknown>[] = [];
  const final = createResponsesResponse(answer, options);
  const pending = { ...final, status: 'in_progress', output: [], usage: null };
  events.push(
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
  );
  (final.output as Array<Record<string, unknown>>).forEach((item, outputIndex) => {
    const itemId = item.id;
    if (item.type === 'reasoning') {
      events.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { type: 'reasoning', id: itemId, summary: [] },
      });
      events.push({
        type: 'response.reasoning_summary_part.added',
        item_id: itemId,
        output_index: outputIndex,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
      for (const piece of splitText(answer.reasoning ?? '', size)) {
        events.push({
          type: 'response.reasoning_summary_text.delta',
          item_id: itemId,
          output_index: outputIndex,
          summary_index: 0,
          delta: piece,
        });
      }
      events.push({
        type: 'response.reasoning_summary_text.done',
        item_id: itemId,
        output_index: outputIndex,
        summary_index: 0,
        text: answer.reasoning,
      });
    } else if (item.type === 'message') {
      const part = (item.content as Array<Record<string, unknown>>)[0]!;
      const refusal = part.type === 'refusal';
      events.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      events.push({
        type: 'response.content_part.added',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
        part: { ...part, [refusal ? 'refusal' : 'text']: '' },
      });
      for (const piece of splitText(answer.text ?? '', size)) {
        events.push({
          type: refusal ? 'response.refusal.delta' : 'response.output_text.delta',
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          delta: piece,
        });
      }
      events.push({
        type: refusal ? 'response.refusal.done' : 'response.output_text.done',
        item_id: itemId,
        output_index: outputIndex,
        content_index: 0,
      });
    } else if (item.type === 'function_call') {
      events.push({
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, arguments: '', status: 'in_progress' },
      });
      for (const piece of splitText(String(item.arguments), 4)) {
        events.push({
          type: 'response.function_call_arguments.delta',
          item_id: itemId,
          output_index: outputIndex,
          delta: piece,
        });
      }
      events.push({
        type: 'response.function_call_arguments.done',
        item_id: itemId,
        output_index: outputIndex,
        arguments: item.arguments,
      });
    }
    events.push({ type: 'response.output_item.done', output_index: outputIndex, item });
  });
  events.push({
    type: final.status === 'incomplete' ? 'response.incomplete' : 'response.completed',
    response: final,
  });
  return events.map((event, sequence) => ({ ...event, sequence_number: sequence }));
}

/** OpenAI's error envelope. */
export function createResponsesError(
  message: string,
  type = 'invalid_request_error',
  code: string | null = null,
): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

/** Renders `answer` (streams: `event: <type>` + `data:` frames, as OpenAI sends them). */
export function renderResponsesAnswer(
  answer: ScriptedAnswer,
  stream: boolean,
  options: ResponsesRenderOptions = {},
): MockResponse {
  return stream
    ? {
        type: 'sse',
        frames: createResponsesEvents(answer, options).map(event =>
          formatSSEFrame(event, String(event.type)),
        ),
      }
    : { type: 'json', body: createResponsesResponse(answer, options) };
}

/** A recording mock of `POST /v1/responses`. */
export interface MockResponsesProvider extends MockHTTPServer {
  /** CCR's `api_base_url` for it: `<url>/v1/responses`. */
  endpoint: string;
  replyWith(answer: ScriptedAnswer, options?: { stream?: boolean }): void;
}

/**
 * Starts a recording Responses API mock on 127.0.0.1. Each request is checked first (Bearer key,
 * path, `validateResponsesRequest`): a bad one gets OpenAI's 400. Good requests are answered from
 * the queue, else with "Hello from Responses."; reasoning items carry `encrypted_content` when the
 * request asked for it in `include`.
 */
export async function startMockResponsesProvider(): Promise<MockResponsesProvider> {
  const server = await startMockHTTPServer();
  const originalReset = server.reset;
  const queue: Array<{ answer?: ScriptedAnswer; response?: MockResponse }> = [];
  server.setDefaultResponder(request => {
    const invalid = (status: number, message: string): MockResponse => ({
      type: 'json',
      status,
      body: createResponsesError(message),
    });
    if (request.path !== '/v1/responses') return invalid(404, `Invalid URL (POST ${request.path})`);
    if (!request.headers.authorization?.startsWith('Bearer '))
      return invalid(401, "You didn't provide an API key.");
    const problems = validateResponsesRequest(request.json);
    if (problems.length > 0) return invalid(400, problems.join(' '));
    const json = request.json as { stream?: boolean; include?: string[] };
    const next = queue.shift();
    if (next?.response) return next.response;
    const answer = next?.answer ?? {
      text: 'Hello from Responses.',
      stop: 'end_turn' as const,
      usage: { input: 10, output: 5 },
    };
    return renderResponsesAnswer(answer, json.stream === true, {
      encryptedReasoning: json.include?.includes('reasoning.encrypted_content') === true,
    });
  });
  return Object.assign(server, {
    endpoint: `${server.url}/v1/responses`,
    enqueue: (...responses: MockResponse[]) => {
      queue.push(...responses.map(response => ({ response })));
    },
    reset: () => {
      originalReset();
      queue.length = 0;
    },
    replyWith(answer: ScriptedAnswer) {
      queue.push({ answer });
    },
  });
}
