import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockAnthropicProvider,
  type MockGeminiProvider,
  type MockOpenAIProvider,
  type MockResponsesProvider,
  type ScriptedAnswer,
  startMockAnthropicProvider,
  startMockGeminiProvider,
  startMockOpenAIProvider,
  startMockResponsesProvider,
} from '@conduit/test-utils';
import OpenAI from 'openai';
import type { RequestRecord } from '../observer/request-observer.js';
import { startTestGateway } from '../test-gateway.js';

/**
 * The OpenAI doors judged with the official `openai` SDK, against recording mocks of every
 * provider kind: each request goes OpenAI → Conduit → provider (translated or near-passthrough)
 * → back to the SDK.
 */
const clientKey = 'conduit-client-key';
let openai: MockOpenAIProvider;
let anthropic: MockAnthropicProvider;
let gemini: MockGeminiProvider;
let responses: MockResponsesProvider;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let client: OpenAI;
const records: RequestRecord[] = [];

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const toolAnswer: ScriptedAnswer = {
  text: 'Checking both.',
  toolCalls: [
    { id: 'call_paris', name: 'get_weather', input: { city: 'Paris', units: 'celsius' } },
    { id: 'call_rome', name: 'get_weather', input: { city: 'Rome', units: 'celsius' } },
  ],
  stop: 'tool_use',
  usage: { input: 40, output: 12, cached: 8 },
};

beforeAll(async () => {
  [openai, anthropic, gemini, responses] = await Promise.all([
    startMockOpenAIProvider(),
    startMockAnthropicProvider(),
    startMockGeminiProvider(),
    startMockResponsesProvider(),
  ]);
  gateway = await startTestGateway(
    {
      APIKEY: clientKey,
      Providers: [
        { name: 'oai', api_base_url: openai.endpoint, api_key: 'sk-oai', models: ['gpt-x'] },
        {
          name: 'claude',
          api_base_url: anthropic.endpoint,
          api_key: 'sk-ant',
          models: ['claude-x'],
          transformer: { use: ['Anthropic'] },
        },
        {
          name: 'gem',
          api_base_url: gemini.endpoint,
          api_key: 'gm-key',
          models: ['gemini-x'],
          transformer: { use: ['gemini'] },
        },
        {
          name: 'resp',
          api_base_url: responses.endpoint,
          api_key: 'sk-resp',
          models: ['gpt-5-codex'],
          transformer: { use: ['openai-responses'] },
        },
      ],
      Router: { default: 'oai,gpt-x', think: 'claude,claude-x' },
      resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } },
    } as never,
    { observer: { onRequestComplete: record => void records.push(record) } },
  );
  client = new OpenAI({ baseURL: `${gateway.baseURL}/v1`, apiKey: clientKey, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([openai, anthropic, gemini, responses].map(mock => mock?.close()));
});

const providers = () =>
  [
    { model: 'oai,gpt-x', mock: openai },
    { model: 'claude,claude-x', mock: anthropic },
    { model: 'gem,gemini-x', mock: gemini },
    { model: 'resp,gpt-5-codex', mock: responses },
  ] as const;

describe('POST /v1/chat/completions', () => {
  it('answers chat.completions.create from the default route, with usage incl. cached tokens', async () => {
    openai.replyWith({
      text: 'Bonjour.',
      stop: 'end_turn',
      usage: { input: 20, output: 3, cached: 5 },
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 100,
      seed: 7,
      response_format: { type: 'json_object' },
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Bonjour.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 25,
      completion_tokens: 3,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 5 },
    });
    // Near-passthrough: the client's own fields reach the OpenAI upstream, with the routed model.
    const sent = openai.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'gpt-x',
      seed: 7,
      max_completion_tokens: 100,
      response_format: { type: 'json_object' },
    });
    expect(sent.max_tokens).toBeUndefined();
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-oai');
    // The ledger learns which API the client spoke.
    expect(records.at(-1)?.metadata).toMatchObject({ clientApi: 'openai-chat' });
    expect(records.at(-1)?.clientApi).toBe('openai-chat');
  });

  it.each(['oai,gpt-x', 'claude,claude-x', 'gem,gemini-x', 'resp,gpt-5-codex'])(
    'streams parallel tool calls with arguments in pieces from %s (stream.finalChatCompletion)',
    async model => {
      const provider = providers().find(entry => entry.model === model);
      provider?.mock.replyWith(toolAnswer, { stream: true });
      const stream = client.chat.completions.stream({
        model,
        messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
        tools: [weatherTool],
        stream_options: { include_usage: true },
      });
      const argumentPieces: string[] = [];
      stream.on('chunk', chunk => {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
          if (call.function?.arguments) argumentPieces.push(call.function.arguments);
        }
      });
      const final = await stream.finalChatCompletion();
      const message = final.choices[0]?.message;
      expect(final.choices[0]?.finish_reason).toBe('tool_calls');
      expect(message?.content).toBe('Checking both.');
      expect(
        message?.tool_calls?.map(call =>
          call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : [],
        ),
      ).toEqual([
        ['get_weather', { city: 'Paris', units: 'celsius' }],
        ['get_weather', { city: 'Rome', units: 'celsius' }],
      ]);
      if (model !== 'gem,gemini-x') expect(argumentPieces.length).toBeGreaterThan(2);
      expect(final.usage?.completion_tokens).toBe(12);
    },
  );

  it.each(['oai,gpt-x', 'claude,claude-x', 'gem,gemini-x', 'resp,gpt-5-codex'])(
    'returns tool calls without streaming from %s',
    async model => {
      providers()
        .find(entry => entry.model === model)
        ?.mock.replyWith(toolAnswer);
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
        tools: [weatherTool],
      });
      expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
      expect(completion.choices[0]?.message.tool_calls).toHaveLength(2);
    },
  );

  it('sends a tool round trip to an Anthropic upstream as tool_use / tool_result blocks', async () => {
    anthropic.replyWith({
      text: 'Sunny in Paris.',
      stop: 'end_turn',
      usage: { input: 9, output: 4 },
    });
    const completion = await client.chat.completions.create({
      model: 'claude,claude-x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '22°C, sunny' },
      ],
      tools: [weatherTool],
      tool_choice: 'required',
      parallel_tool_calls: false,
      stop: 'END',
    });
    expect(completion.choices[0]?.message.content).toBe('Sunny in Paris.');
    const sent = anthropic.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'claude-x',
      system: 'Be brief.',
      stop_sequences: ['END'],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      tools: [{ name: 'get_weather', input_schema: weatherTool.function.parameters }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '22°C, sunny' }],
        },
      ],
    });
    expect(anthropic.requests.at(-1)?.headers['x-api-key']).toBe('sk-ant');
  });

  it('routes reasoning_effort to the think route with a thinking budget', async () => {
    anthropic.replyWith({
      reasoning: 'Hmm.',
      text: '4',
      stop: 'end_turn',
      usage: { input: 5, output: 6 },
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: '2+2?' }],
      reasoning_effort: 'medium',
    });
    expect(completion.choices[0]?.message.content).toBe('4');
    const sent = anthropic.requests.at(-1)?.json as Record<string, unknown>;
    expect(sent).toMatchObject({
      model: 'claude-x',
      thinking: { type: 'enabled', budget_tokens: 8192 },
    });
    expect(sent.max_tokens as number).toBeGreaterThan(8192);
  });

  it('sends images (data and http URLs) to an Anthropic upstream as image blocks', async () => {
    anthropic.replyWith({ text: 'A cat.', stop: 'end_turn', usage: { input: 5, output: 2 } });
    await client.chat.completions.create({
      model: 'claude,claude-x',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    const sent = anthropic.requests.at(-1)?.json as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages[0]?.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });
});

describe('POST /v1/responses', () => {
  it.each(['oai,gpt-x', 'claude,claude-x', 'gem,gemini-x', 'resp,gpt-5-codex'])(
    'answers responses.create from %s',
    async model => {
      providers()
        .find(entry => entry.model === model)
        ?.mock.replyWith({ text: 'Hi there.', stop: 'end_turn', usage: { input: 7, output: 3 } });
      const response = await client.responses.create({
        model,
        instructions: 'Be kind.',
        input: 'Hello',
      });
      expect(response.object).toBe('response');
      expect(response.status).toBe('completed');
      expect(response.output_text).toBe('Hi there.');
      expect(response.usage).toMatchObject({ input_tokens: 7, output_tokens: 3, total_tokens: 10 });
      expect(records.at(-1)?.metadata).toMatchObject({ clientApi: 'openai-responses' });
      expect(records.at(-1)?.clientApi).toBe('openai-responses');
    },
  );

  it.each(['oai,gpt-x', 'claude,claude-x', 'gem,gemini-x', 'resp,gpt-5-codex'])(
    'streams function calls with argument deltas from %s',
    async model => {
      providers()
        .find(entry => entry.model === model)
        ?.mock.replyWith(toolAnswer, { stream: true });
      const stream = client.responses.stream({
        model,
        input: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            parameters: weatherTool.function.parameters,
            strict: false,
          },
        ],
      });
      const types: string[] = [];
      stream.on('event', event => {
        types.push(event.type);
      });
      const final = await stream.finalResponse();
      expect(types[0]).toBe('response.created');
      expect(types).toContain('response.output_text.delta');
      expect(types).toContain('response.function_call_arguments.delta');
      expect(types.at(-1)).toBe('response.completed');
      const calls = final.output.filter(item => item.type === 'function_call');
      expect(calls.map(call => JSON.parse(call.arguments))).toEqual([
        { city: 'Paris', units: 'celsius' },
        { city: 'Rome', units: 'celsius' },
      ]);
      expect(final.output_text).toBe('Checking both.');
    },
  );

  it('sends function_call and function_call_output items as tool_use / tool_result', async () => {
    anthropic.replyWith({ text: 'Done.', stop: 'end_turn', usage: { input: 5, output: 2 } });
    await client.responses.create({
      model: 'claude,claude-x',
      input: [
        { role: 'user', content: 'Weather?' },
        {
          type: 'function_call',
          call_id: 'call_9',
          name: 'get_weather',
          arguments: '{"city":"Oslo"}',
        },
        { type: 'function_call_output', call_id: 'call_9', output: 'cold' },
      ],
    });
    const sent = anthropic.requests.at(-1)?.json as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Oslo' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_9', content: 'cold' }] },
    ]);
  });
});

describe('OpenAI errors', () => {
  it('rejects a bad body with a 400 in OpenAI shape naming the field', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: [] })
      .catch(caught => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.error).toMatchObject({ type: 'invalid_request_error', param: 'messages' });
  });

  it('rejects a missing key with a 401', async () => {
    const anonymous = new OpenAI({
      baseURL: `${gateway.baseURL}/v1`,
      apiKey: 'wrong',
      maxRetries: 0,
    });
    const error = await anonymous.responses
      .create({ model: 'x', input: 'hi' })
      .catch(caught => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error.error).toMatchObject({ code: 'invalid_api_key' });
  });

  it.each([
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
  ])('maps an upstream %i to the same status', async (status, errorClass) => {
    anthropic.enqueue({
      type: 'json',
      status,
      body: {
        type: 'error',
        error: {
          type: status === 429 ? 'rate_limit_error' : 'api_error',
          message: 'upstream says no',
        },
      },
    });
    const error = await client.chat.completions
      .create({ model: 'claude,claude-x', messages: [{ role: 'user', content: 'hi' }] })
      .catch(caught => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(JSON.stringify(error.error)).not.toContain('sk-ant');
  });

  it('ends a stream cut mid-way with an error the SDK throws', async () => {
    anthropic.replyWithFixture('cc-response-text.sse', { cutAfterFrames: 3 });
    const stream = await client.chat.completions.create({
      model: 'claude,claude-x',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const consume = async () => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});

describe('GET /v1/models for OpenAI clients', () => {
  it('lists provider,model ids in OpenAI shape', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map(model => model.id)).toEqual([
      'oai,gpt-x',
      'claude,claude-x',
      'gem,gemini-x',
      'resp,gpt-5-codex',
    ]);
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'oai' });
  });
});
