/**
 * The answers the bench mock gives, rendered once into buffers. Written here rather than taken from
 * `@conduit/test-utils`, whose entry point loads the jest-only adapter contract suite.
 */

/** The wire formats the mock speaks. */
export type MockProtocol = 'openai' | 'anthropic';
/** Which answer the mock gives: a short text, a long text + tool-call stream, or a medium one. */
export type MockAnswerSize = 'small' | 'long' | 'medium';

/** A provider-neutral answer. */
export interface BenchAnswer {
  text: string;
  toolCalls: Array<{ id: string; name: string; input: Record<string, unknown> }>;
  usage: { input: number; output: number };
}

/** One pre-rendered answer: the JSON body and the SSE frames. */
export interface RenderedAnswer {
  json: Buffer;
  frames: Buffer[];
  /** All frames in one buffer (written at once by the instant mock). */
  stream: Buffer;
}

const words = [
  'gateway',
  'stream',
  'token',
  'route',
  'model',
  'request',
  'latency',
  'buffer',
  'router',
  'provider',
  'cache',
  'anthropic',
  'translate',
  'event',
  'chunk',
  'tool',
  'result',
  'context',
];

/** Deterministic prose of exactly `length` characters (seeded: every run sends the same bytes). */
export function createProse(length: number, seed = 7): string {
  let state = seed;
  const pieces: string[] = [];
  let size = 0;
  while (size < length) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    const word = words[(state >>> 8) % words.length] as string;
    pieces.push(word);
    size += word.length + 1;
  }
  return pieces.join(' ').slice(0, length);
}

/** The answer behind each size: small is one sentence; medium and long add tool calls. */
export function createBenchAnswer(size: MockAnswerSize): BenchAnswer {
  if (size === 'small') {
    return { text: 'Hello from the mock.', toolCalls: [], usage: { input: 10, output: 5 } };
  }
  const long = size === 'long';
  return {
    text: createProse(long ? 8000 : 600),
    toolCalls: Array.from({ length: long ? 2 : 1 }, (_, index) => ({
      id: `toolu_bench_${index}`,
      name: index === 0 ? 'Bash' : 'Read',
      input: {
        command: createProse(long ? 1500 : 300, 11 + index),
        description: 'bench tool call',
      },
    })),
    usage: { input: 1200, output: 900 },
  };
}

/** Splits `text` into pieces of `size` characters. */
export function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size)
    pieces.push(text.slice(index, index + size));
  return pieces.length === 0 ? [''] : pieces;
}

const frame = (data: unknown, event?: string) =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

/** OpenAI chat-completion chunks as vendors send them: 5-character text deltas, 4-character argument deltas, usage last. */
export function createOpenAIFrames(answer: BenchAnswer): string[] {
  const base = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'mock-model',
  };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    frame({ ...base, choices: [{ index: 0, delta, finish_reason: finishReason }] });
  const frames = [chunk({ role: 'assistant', content: '' })];
  for (const piece of splitText(answer.text, 5)) frames.push(chunk({ content: piece }));
  answer.toolCalls.forEach((call, index) => {
    frames.push(
      chunk({
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of splitText(JSON.stringify(call.input), 4)) {
      frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(chunk({}, answer.toolCalls.length > 0 ? 'tool_calls' : 'stop'));
  frames.push(
    frame({
      ...base,
      choices: [],
      usage: {
        prompt_tokens: answer.usage.input,
        completion_tokens: answer.usage.output,
        total_tokens: answer.usage.input + answer.usage.output,
      },
    }),
  );
  frames.push('data: [DONE]\n\n');
  return frames;
}

/** The same answer as Anthropic Messages SSE events, in the order the API sends them. */
export function createAnthropicFrames(answer: BenchAnswer): string[] {
  const events: Array<Record<string, unknown> & { type: string }> = [
    {
      type: 'message_start',
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-8',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: answer.usage.input, output_tokens: 1 },
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
  ];
  for (const piece of splitText(answer.text, 5)) {
    events.push({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: piece },
    });
  }
  events.push({ type: 'content_block_stop', index: 0 });
  answer.toolCalls.forEach((call, position) => {
    const index = position + 1;
    events.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
    });
    for (const piece of splitText(JSON.stringify(call.input), 4)) {
      events.push({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: piece },
      });
    }
    events.push({ type: 'content_block_stop', index });
  });
  events.push(
    {
      type: 'message_delta',
      delta: {
        stop_reason: answer.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
        stop_sequence: null,
      },
      usage: { output_tokens: answer.usage.output },
    },
    { type: 'message_stop' },
  );
  return events.map(event => frame(event, event.type));
}

/** The non-streaming bodies. */
export function createJSONAnswer(protocol: MockProtocol, answer: BenchAnswer): unknown {
  if (protocol === 'openai') {
    return {
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'mock-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: answer.text,
            ...(answer.toolCalls.length > 0
              ? {
                  tool_calls: answer.toolCalls.map(call => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: JSON.stringify(call.input) },
                  })),
                }
              : {}),
          },
          finish_reason: answer.toolCalls.length > 0 ? 'tool_calls' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: answer.usage.input,
        completion_tokens: answer.usage.output,
        total_tokens: answer.usage.input + answer.usage.output,
      },
    };
  }
  return {
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-8',
    content: [
      { type: 'text', text: answer.text },
      ...answer.toolCalls.map(call => ({
        type: 'tool_use',
        id: call.id,
        name: call.name,
        input: call.input,
      })),
    ],
    stop_reason: answer.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: answer.usage.input, output_tokens: answer.usage.output },
  };
}

/** Renders `answer` in `protocol`'s JSON and SSE formats. */
export function renderAnswer(protocol: MockProtocol, answer: BenchAnswer): RenderedAnswer {
  const frames = protocol === 'openai' ? createOpenAIFrames(answer) : createAnthropicFrames(answer);
  const frameBuffers = frames.map(text => Buffer.from(text));
  return {
    json: Buffer.from(JSON.stringify(createJSONAnswer(protocol, answer))),
    frames: frameBuffers,
    stream: Buffer.concat(frameBuffers),
  };
}
