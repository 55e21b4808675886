import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  adapterContractGatewayConfig,
  type MockResponsesProvider,
  createResponsesError,
  formatSSEFrame,
  listMessagesFixtures,
  mockEncryptedReasoning,
  readFixtureJSON,
  runAdapterContract,
  startMockResponsesProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';

runAdapterContract({
  name: 'openai-responses',
  createProvider: async () => {
    const upstream = await startMockResponsesProvider();
    const gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'openai',
          api_base_url: upstream.endpoint,
          models: ['gpt-5-codex'],
          transformer: { use: ['openai-responses'] },
        },
        adapterContractGatewayConfig,
      ),
    );
    return {
      baseURL: gateway.baseURL,
      upstream: {
        requests: upstream.requests,
        replyWith: answer => upstream.replyWith(answer),
        replyWithError: (status, message, headers) =>
          upstream.enqueue({
            type: 'json',
            status,
            headers,
            body: createResponsesError(message, 'rate_limit_exceeded', 'rate_limit_exceeded'),
          }),
      },
      close: async () => {
        await gateway.close();
        await upstream.close();
      },
    };
  },
});

describe('OpenAI Responses API upstream', () => {
  let upstream: MockResponsesProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockResponsesProvider();
    gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'openai',
          api_base_url: upstream.endpoint,
          models: ['gpt-5'],
          transformer: { use: [['openai-responses', { reasoningSummary: 'detailed' }]] },
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

  it('sends input items, instructions, non-strict tools and reasoning controls', async () => {
    const params = {
      model: 'x',
      max_tokens: 3000,
      system: 'Be terse.',
      temperature: 0.2,
      thinking: { type: 'enabled', budget_tokens: 10000 },
      tools: [
        {
          name: 'Bash',
          description: 'Run',
          input_schema: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'object',
            properties: { command: { type: 'string' } },
          },
        },
      ],
      tool_choice: { type: 'tool', name: 'Bash', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: 'list' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running.' },
            { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: 'a.txt' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
          ],
        },
      ],
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    await client.messages.create(params);
    const [request] = upstream.requests;
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers.authorization).toBe('Bearer sk-provider-secret');
    expect(request?.json).toEqual({
      model: 'gpt-5',
      input: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: [{ type: 'output_text', text: 'Running.' }] },
        { type: 'function_call', call_id: 'call_1', name: 'Bash', arguments: '{"command":"ls"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
        {
          role: 'user',
          content: [{ type: 'input_image', image_url: 'data:image/png;base64,iVBO' }],
        },
      ],
      max_output_tokens: 3000,
      store: false,
      instructions: 'Be terse.',
      tools: [
        {
          type: 'function',
          name: 'Bash',
          description: 'Run',
          parameters: { type: 'object', properties: { command: { type: 'string' } } },
          strict: false,
        },
      ],
      tool_choice: { type: 'function', name: 'Bash' },
      parallel_tool_calls: false,
      reasoning: { effort: 'high', summary: 'detailed' },
      include: ['reasoning.encrypted_content'],
    });
  });

  describe.each(['create', 'stream'] as const)('reasoning round-trip (%s)', mode => {
    it('returns the encrypted reasoning item on the next turn', async () => {
      const params = {
        model: 'x',
        max_tokens: 2000,
        thinking: { type: 'enabled' as const, budget_tokens: 2000 },
        tools: [
          {
            name: 'Bash',
            input_schema: { type: 'object' as const, properties: { command: { type: 'string' } } },
          },
        ],
        messages: [{ role: 'user' as const, content: 'list files' }],
      };
      upstream.replyWith({
        reasoning: 'Use ls.',
        toolCalls: [{ id: 'call_ls', name: 'Bash', input: { command: 'ls' } }],
        stop: 'tool_use',
        usage: { input: 10, output: 20 },
      });
      const first =
        mode === 'create'
          ? await client.messages.create(params)
          : await client.messages.stream(params).finalMessage();
      expect(first.content.map(block => block.type)).toEqual(['thinking', 'tool_use']);
      expect(first.content[0]).toMatchObject({ thinking: 'Use ls.' });
      await client.messages.create({
        ...params,
        messages: [
          ...params.messages,
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'call_ls', content: 'a.txt' }],
          },
        ],
      });
      const input = (upstream.requests[1]!.json as { input: unknown[] }).input;
      expect(input.slice(1)).toEqual([
        {
          type: 'reasoning',
          id: 'rs_mock_1',
          summary: [{ type: 'summary_text', text: 'Use ls.' }],
          encrypted_content: mockEncryptedReasoning('rs_mock_1'),
        },
        { type: 'function_call', call_id: 'call_ls', name: 'Bash', arguments: '{"command":"ls"}' },
        { type: 'function_call_output', call_id: 'call_ls', output: 'a.txt' },
      ]);
    });
  });

  it('reports cached input tokens as cache reads', async () => {
    upstream.replyWith({
      text: 'ok',
      stop: 'end_turn',
      usage: { input: 40, output: 3, cached: 60 },
    });
    const message = await client.messages
      .stream({ model: 'x', max_tokens: 100, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect(message.usage).toMatchObject({
      input_tokens: 40,
      output_tokens: 3,
      cache_read_input_tokens: 60,
    });
  });

  it('maps a refusal to stop_reason refusal', async () => {
    upstream.replyWith({ text: 'I can’t help with that.', stop: 'refusal' });
    const message = await client.messages.create({
      model: 'x',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(message).toMatchObject({
      stop_reason: 'refusal',
      content: [{ type: 'text', text: 'I can’t help with that.' }],
    });
  });

  it.each([
    [
      'response.failed',
      {
        type: 'response.failed',
        response: { status: 'failed', error: { code: 'server_error', message: 'boom' } },
      },
    ],
    ['error', { type: 'error', code: 'server_error', message: 'boom' }],
  ])('ends the stream with an error event on %s', async (name, event) => {
    upstream.enqueue({
      type: 'sse',
      frames: [
        formatSSEFrame(
          { type: 'response.created', response: { id: 'resp_1', status: 'in_progress' } },
          'response.created',
        ),
        formatSSEFrame(event, name),
      ],
    });
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({
        model: 'x',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'q' }],
      }),
    });
    const text = await response.text();
    expect(text).toContain('event: message_start');
    expect(
      text
        .trimEnd()
        .endsWith('{"type":"error","error":{"type":"api_error","message":"Upstream error: boom"}}'),
    ).toBe(true);
  });

  it('raises max_tokens below the API minimum (Claude Code probes with 1)', async () => {
    await client.messages.create({
      model: 'x',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(upstream.requests[0]?.json).toMatchObject({ max_output_tokens: 16 });
  });

  it('passes upstream 400s through as invalid_request_error', async () => {
    upstream.enqueue({
      type: 'json',
      status: 400,
      body: createResponsesError("Unsupported parameter: 'x'."),
    });
    const error = await client.messages
      .create({ model: 'x', max_tokens: 50, messages: [{ role: 'user', content: 'q' }] })
      .catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain("Unsupported parameter: 'x'.");
  });

  describe.each(listMessagesFixtures())('Claude Code fixture %s', fixture => {
    it('is accepted by the Responses API rules and answered', async () => {
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
        expect(JSON.parse(text).content.at(-1)).toEqual({
          type: 'text',
          text: 'Hello from Responses.',
        });
      const sent = upstream.requests[0]?.json as { tools?: unknown[]; instructions?: string };
      expect(sent.tools?.length ?? 0).toBe(
        body.tools?.filter(tool => tool.input_schema).length ?? 0,
      );
      expect(JSON.stringify(sent)).not.toContain('x-anthropic-billing-header');
      expect(JSON.stringify(sent)).not.toContain('"$schema"');
    });
  });
});
