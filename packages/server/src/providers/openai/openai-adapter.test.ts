import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  adapterContractGatewayConfig,
  type MockOpenAIProvider,
  listMessagesFixtures,
  readFixtureJSON,
  runAdapterContract,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';

runAdapterContract({
  name: 'openai',
  createProvider: async () => {
    const upstream = await startMockOpenAIProvider();
    const gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'mock',
          api_base_url: upstream.endpoint,
          models: ['mock-model'],
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
            body: { error: { message, type: 'error' } },
          }),
      },
      close: async () => {
        await gateway.close();
        await upstream.close();
      },
    };
  },
});

describe('OpenAI-compatible upstream', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'deepseek',
        api_base_url: upstream.endpoint,
        models: ['deepseek-chat'],
        transformer: { use: [['reasoning', { format: 'reasoning_effort' }]] },
      }),
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client-key', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('sends a translated body with the provider key and never the client key', async () => {
    upstream.reset();
    // temperature and top_p are cast in: SDK 1.14's types no longer list them, the API accepts them.
    const params = {
      model: 'claude-opus-4-8',
      max_tokens: 100,
      system: 'Be terse.',
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-1' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      tools: [
        {
          name: 'Bash',
          input_schema: { type: 'object', properties: { command: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'hi' }],
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    await client.messages.create(params);
    const [request] = upstream.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe('Bearer sk-provider-secret');
    expect(request?.headers['x-api-key']).toBeUndefined();
    expect(request?.rawBody).not.toContain('sk-client-key');
    expect(request?.json).toEqual({
      model: 'deepseek-chat',
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      user: 'user-1',
      tools: [
        {
          type: 'function',
          function: {
            name: 'Bash',
            parameters: { type: 'object', properties: { command: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'required',
      reasoning_effort: 'medium',
    });
  });

  it('asks for usage in streams and reports cache reads in Anthropic meaning', async () => {
    upstream.reset();
    upstream.replyWith(
      { text: 'ok', stop: 'end_turn', usage: { input: 40, output: 3, cached: 60 } },
      { stream: true },
    );
    const message = await client.messages
      .stream({ model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(upstream.requests[0]?.json).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(message.usage).toMatchObject({
      input_tokens: 40,
      output_tokens: 3,
      cache_read_input_tokens: 60,
    });
  });

  it.each([
    ['end_turn', 'end_turn'],
    ['max_tokens', 'max_tokens'],
    ['tool_use', 'tool_use'],
    ['refusal', 'refusal'],
    ['stop_sequence', 'end_turn'],
  ] as const)('maps the %s finish to stop_reason %s (JSON and stream)', async (stop, expected) => {
    const answer = {
      text: 'x',
      stop,
      ...(stop === 'tool_use' ? { toolCalls: [{ id: 'call_1', name: 'Bash', input: {} }] } : {}),
    };
    upstream.replyWith(answer, { stream: false });
    const created = await client.messages.create({
      model: 'x',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'q' }],
    });
    upstream.replyWith(answer, { stream: true });
    const streamed = await client.messages
      .stream({ model: 'x', max_tokens: 10, messages: [{ role: 'user', content: 'q' }] })
      .finalMessage();
    expect([created.stop_reason, streamed.stop_reason]).toEqual([expected, expected]);
  });

  describe.each(listMessagesFixtures())('Claude Code fixture %s', fixture => {
    it('is translated into a sane chat-completions body and answered', async () => {
      const body = readFixtureJSON<
        Record<string, unknown> & { messages: unknown[]; tools?: unknown[]; stream?: boolean }
      >(fixture);
      upstream.reset();
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
      expect(response.status).toBe(200);
      expect(response.headers.get('x-conduit-provider')).toBe('deepseek');
      expect(response.headers.get('x-conduit-model')).toBe('deepseek-chat');
      if (body.stream === true) {
        expect(text.startsWith('event: message_start')).toBe(true);
        expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
      } else {
        expect(JSON.parse(text)).toMatchObject({
          type: 'message',
          content: [{ type: 'text', text: 'Hello from the mock.' }],
        });
      }

      const sent = upstream.requests[0]?.json as {
        model: string;
        messages: Array<{
          role: string;
          content: unknown;
          tool_calls?: unknown[];
          tool_call_id?: string;
        }>;
        tools?: Array<{
          type: string;
          function: { name: string; parameters: Record<string, unknown> };
        }>;
      };
      expect(sent.model).toBe('deepseek-chat');
      expect(JSON.stringify(sent)).not.toContain('x-anthropic-billing-header');
      expect(JSON.stringify(sent)).not.toContain('cache_control');
      expect(JSON.stringify(sent)).not.toContain('"$schema"');
      expect(sent.tools?.length ?? 0).toBe(body.tools?.length ?? 0);
      for (const tool of sent.tools ?? []) {
        expect(tool.type).toBe('function');
        expect(tool.function.parameters.type).toBe('object');
      }
      for (const message of sent.messages) {
        expect(['system', 'user', 'assistant', 'tool']).toContain(message.role);
        if (message.role === 'tool') expect(typeof message.content).toBe('string');
      }
      // Every tool result answers a tool call made earlier in the conversation.
      const callIds = new Set(
        sent.messages.flatMap(message =>
          (message.tool_calls ?? []).map(call => (call as { id: string }).id),
        ),
      );
      for (const message of sent.messages.filter(item => item.role === 'tool')) {
        expect(callIds.has(message.tool_call_id!)).toBe(true);
      }
      const systemMessages = body.messages.filter(
        message => (message as { role: string }).role === 'system',
      );
      expect(sent.messages.filter(message => message.role === 'system').length).toBe(
        systemMessages.length + (body.system ? 1 : 0),
      );
    });
  });
});
