import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  adapterContractGatewayConfig,
  type MockGeminiProvider,
  createGeminiError,
  formatSSEFrame,
  geminiStatusName,
  listMessagesFixtures,
  mockThoughtSignature,
  readFixtureJSON,
  runAdapterContract,
  startMockGeminiProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';
import { resolveGeminiURL } from './gemini-adapter.js';

runAdapterContract({
  name: 'gemini',
  createProvider: async () => {
    const upstream = await startMockGeminiProvider();
    const gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'gemini',
          api_base_url: upstream.endpoint,
          models: ['gemini-2.5-flash'],
          transformer: { use: ['gemini'] },
        },
        adapterContractGatewayConfig,
      ),
    );
    return {
      baseURL: gateway.baseURL,
      upstream: {
        requests: upstream.requests,
        replyWith: (answer, options) => upstream.replyWith(answer, options),
        replyWithError: (status, message, headers) =>
          upstream.enqueue({
            type: 'json',
            status,
            headers,
            body: createGeminiError(status, message, geminiStatusName(status)),
          }),
      },
      close: async () => {
        await gateway.close();
        await upstream.close();
      },
    };
  },
});

describe('resolveGeminiURL', () => {
  it.each([
    ['https://g/v1beta/models/', false, 'https://g/v1beta/models/gemini-2.5-pro:generateContent'],
    [
      'https://g/v1beta/models',
      true,
      'https://g/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    ],
    [
      'https://g/v1beta/models/?x=1',
      true,
      'https://g/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&x=1',
    ],
  ])('%s (stream %s)', (base, stream, expected) => {
    expect(resolveGeminiURL(base, 'gemini-2.5-pro', stream)).toBe(expected);
  });
});

describe('Gemini upstream', () => {
  let upstream: MockGeminiProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockGeminiProvider();
    gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'gemini',
          api_base_url: upstream.endpoint,
          models: ['gemini-2.5-flash', 'gemini-3-pro-preview'],
          transformer: { use: ['gemini'] },
        },
        adapterContractGatewayConfig,
      ),
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  it('sends a Gemini body with the key in x-goog-api-key', async () => {
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 2000,
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=1' },
        { type: 'text', text: 'Be terse.' },
      ],
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [
        {
          name: 'Read',
          description: 'Reads a file',
          input_schema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            additionalProperties: false,
            properties: { file_path: { type: 'string' } },
            required: ['file_path'],
          },
        },
        { name: 'Ping', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'tool', name: 'Read' },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
            { type: 'image', source: { type: 'url', url: 'https://x.test/cat.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: 'no such file',
              is_error: true,
            },
          ],
        },
      ],
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    await client.messages.create(params);
    const [request] = upstream.requests;
    expect(request?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request?.headers['x-goog-api-key']).toBe('sk-provider-secret');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.rawBody).not.toContain('sk-client-key');
    expect(request?.json).toEqual({
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Look' },
            { inlineData: { mimeType: 'image/png', data: 'iVBO' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x.test/cat.jpg' } },
          ],
        },
        { role: 'model', parts: [{ functionCall: { name: 'Read', args: { file_path: 'a' } } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'Read', response: { error: 'no such file' } } }],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'Read',
              description: 'Reads a file',
              parameters: {
                type: 'object',
                properties: { file_path: { type: 'string' } },
                required: ['file_path'],
              },
            },
            { name: 'Ping' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Read'] } },
      generationConfig: {
        maxOutputTokens: 2000,
        stopSequences: ['END'],
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
      },
    });
  });

  it('never sends toolConfig without function declarations (CCR PR #1207)', async () => {
    const message = await client.messages.create({
      model: 'x',
      max_tokens: 10,
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from Gemini.' });
    expect(upstream.requests[0]?.json).not.toHaveProperty('toolConfig');
  });

  describe.each(['create', 'stream'] as const)('thought signatures (%s)', mode => {
    it('come back on the same parts in the next turn', async () => {
      const params = {
        model: 'x',
        max_tokens: 4000,
        thinking: { type: 'enabled' as const, budget_tokens: 2048 },
        tools: [
          {
            name: 'get_weather',
            input_schema: {
              type: 'object' as const,
              properties: { city: { type: 'string' } },
            },
          },
        ],
        messages: [{ role: 'user' as const, content: 'Weather in Paris and Rome?' }],
      };
      upstream.replyWith({
        reasoning: 'Two cities: two calls.',
        toolCalls: [
          { id: 'call_a', name: 'get_weather', input: { city: 'Paris' } },
          { id: 'call_b', name: 'get_weather', input: { city: 'Rome' } },
        ],
        stop: 'tool_use',
        usage: { input: 20, output: 30 },
      });
      const first =
        mode === 'create'
          ? await client.messages.create(params)
          : await client.messages.stream(params).finalMessage();
      expect(first.stop_reason).toBe('tool_use');
      expect(first.content.map(block => block.type)).toEqual([
        'thinking',
        'tool_use',
        'redacted_thinking',
        'tool_use',
      ]);
      const toolUses = first.content.filter(block => block.type === 'tool_use');
      await client.messages.create({
        ...params,
        messages: [
          ...params.messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: toolUses.map(block => ({
              type: 'tool_result' as const,
              tool_use_id: block.id,
              content: 'sunny',
            })),
          },
        ],
      });
      const sent = upstream.requests[1]?.json as {
        contents: Array<{ role: string; parts: unknown[] }>;
      };
      expect(sent.contents[1]).toEqual({
        role: 'model',
        parts: [
          // The thought itself carried no signature: Gemini does not need it back.
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: mockThoughtSignature('call-call_a'),
          },
          { functionCall: { name: 'get_weather', args: { city: 'Rome' } } },
        ],
      });
      expect(sent.contents[2]).toEqual({
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
          { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
        ],
      });
    });
  });

  it('adds the documented skip signature to unsigned call history for Gemini 3', async () => {
    await client.messages.create({
      model: 'gemini,gemini-3-pro-preview',
      max_tokens: 100,
      tools: [
        { name: 'Bash', input_schema: { type: 'object', properties: { c: { type: 'string' } } } },
      ],
      messages: [
        { role: 'user', content: 'run' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'Bash', input: { c: 'ls' } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'a.txt' }],
        },
      ],
    });
    const sent = upstream.requests[0]?.json as { contents: Array<{ parts: unknown[] }> };
    expect(sent.contents[1]?.parts[0]).toMatchObject({
      thoughtSignature: 'skip_thought_signature_validator',
    });
  });

  it.each([
    ['SAFETY', 'refusal'],
    ['RECITATION', 'refusal'],
    ['MAX_TOKENS', 'max_tokens'],
    ['STOP', 'end_turn'],
    ['OTHER', 'end_turn'],
  ])('maps finishReason %s to %s', async (finishReason, expected) => {
    upstream.enqueue({
      type: 'json',
      body: { candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] },
    });
    const message = await client.messages.create({
      model: 'x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(message.stop_reason).toBe(expected);
  });

  it('reports usage in Anthropic meaning (cache reads apart, thoughts in output)', async () => {
    upstream.replyWith({
      reasoning: 'hm',
      text: 'ok',
      stop: 'end_turn',
      usage: { input: 40, output: 10, cached: 60 },
    });
    const message = await client.messages
      .stream({ model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect(message.usage).toMatchObject({
      input_tokens: 40,
      output_tokens: 10,
      cache_read_input_tokens: 60,
    });
  });

  it('answers a blocked prompt as an empty refusal', async () => {
    upstream.enqueue({ type: 'json', body: { promptFeedback: { blockReason: 'SAFETY' } } });
    const message = await client.messages.create({
      model: 'x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(message.stop_reason).toBe('refusal');
  });

  it('passes Gemini 400s through as non-retryable invalid_request_error', async () => {
    upstream.enqueue({
      type: 'json',
      status: 400,
      body: createGeminiError(400, 'Invalid JSON payload received.', 'INVALID_ARGUMENT'),
    });
    const error = await client.messages
      .create({ model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'q' }] })
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain('Invalid JSON payload received.');
  });

  it('turns RetryInfo in a Gemini 429 body into retry-after', async () => {
    upstream.enqueue({
      type: 'json',
      status: 429,
      body: {
        error: {
          code: 429,
          message: 'Resource has been exhausted',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }],
        },
      },
    });
    const error = (await client.messages
      .create({ model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'q' }] })
      .catch((failure: unknown) => failure)) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('37');
  });

  it('ends the stream with an error event when Gemini reports one mid-stream', async () => {
    upstream.enqueue({
      type: 'sse',
      frames: [
        formatSSEFrame({ candidates: [{ content: { parts: [{ text: 'Hel' }] } }] }),
        formatSSEFrame(createGeminiError(503, 'The model is overloaded.', 'UNAVAILABLE')),
      ],
    });
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({
        model: 'x',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'q' }],
      }),
    });
    const text = await response.text();
    expect(text).toContain('"text":"Hel"');
    expect(
      text
        .trimEnd()
        .endsWith(
          '{"type":"error","error":{"type":"overloaded_error","message":"Upstream error: The model is overloaded."}}',
        ),
    ).toBe(true);
  });

  it('ends a cut stream (no finishReason) with an error event', async () => {
    upstream.enqueue({
      type: 'sse',
      frames: [formatSSEFrame({ candidates: [{ content: { parts: [{ text: 'Hel' }] } }] })],
    });
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({
        model: 'x',
        max_tokens: 10,
        stream: true,
        messages: [{ role: 'user', content: 'q' }],
      }),
    });
    expect(await response.text()).toContain('event: error');
  });

  describe.each(listMessagesFixtures())('Claude Code fixture %s', fixture => {
    it('is accepted by the Gemini rules and answered', async () => {
      const body = readFixtureJSON<
        Record<string, unknown> & { tools?: Array<{ input_schema?: unknown }>; stream?: boolean }
      >(fixture);
      const response = await fetch(`${gateway.baseURL}/v1/messages?beta=true`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': 'sk-test',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      expect({ status: response.status, text: response.status === 200 ? '' : text }).toEqual({
        status: 200,
        text: '',
      });
      if (body.stream === true)
        expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
      else
        expect(JSON.parse(text).content[0]).toEqual({ type: 'text', text: 'Hello from Gemini.' });
      const sent = upstream.requests[0]?.json as {
        tools?: Array<{ functionDeclarations?: unknown[] }>;
      };
      const declarations = sent.tools?.flatMap(tool => tool.functionDeclarations ?? []) ?? [];
      expect(declarations.length).toBe(body.tools?.filter(tool => tool.input_schema).length ?? 0);
      expect(JSON.stringify(sent)).not.toContain('x-anthropic-billing-header');
    });
  });
});
