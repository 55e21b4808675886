import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  adapterContractGatewayConfig,
  type MockOpenAIProvider,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { startTestGateway } from '../../../test-gateway.js';

/**
 * One CCR `config.json` (`__fixtures__/ccr-transformers-config.json`) with a provider per CCR
 * transformer name, loaded as a user's file would be; each test checks what the transformer did to
 * the body the mock upstream recorded (or to the answer the client got).
 */
describe('CCR config.json with every built-in transformer', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    const text = readFileSync(
      new URL('../__fixtures__/ccr-transformers-config.json', import.meta.url),
      'utf8',
    ).replaceAll('MOCK_UPSTREAM', upstream.url);
    gateway = await startTestGateway({ ...JSON.parse(text), ...adapterContractGatewayConfig });
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });
  beforeEach(() => upstream.reset());

  const tools = [
    {
      name: 'Bash',
      input_schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object' as const,
        properties: { command: { type: 'string' } },
      },
    },
  ];

  async function send(
    route: string,
    extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {},
  ): Promise<{ body: Record<string, unknown>; message: Anthropic.Message }> {
    // An explicit timeout: the SDK refuses large max_tokens without streaming otherwise.
    const message = await client.messages.create(
      { model: route, max_tokens: 32000, messages: [{ role: 'user', content: 'hi' }], ...extra },
      { timeout: 30_000 },
    );
    return { body: upstream.requests.at(-1)?.json as Record<string, unknown>, message };
  }

  it('deepseek caps max_tokens at 8192 for deepseek-chat and 65536 for the reasoner', async () => {
    expect((await send('deepseek,deepseek-chat')).body.max_tokens).toBe(8192);
    expect((await send('deepseek,deepseek-reasoner', { max_tokens: 100000 })).body.max_tokens).toBe(
      65536,
    );
  });

  it('openrouter merges per-model options and sends thinking as its reasoning object', async () => {
    const { body } = await send('openrouter,moonshotai/kimi-k2', {
      thinking: { type: 'enabled', budget_tokens: 4000 },
    });
    expect(body).toMatchObject({
      model: 'moonshotai/kimi-k2',
      provider: { only: ['moonshotai/fp8'] },
      reasoning: { max_tokens: 4000 },
    });
    expect((await send('openrouter,google/gemini-2.5-pro')).body).not.toHaveProperty('provider');
  });

  it('groq strips $schema from tool parameters', async () => {
    const { body } = await send('groq,model-x', { tools });
    expect(JSON.stringify(body.tools)).not.toContain('$schema');
  });

  it('cerebras sets disable_reasoning: false when no reasoning object is sent', async () => {
    expect((await send('cerebras,model-x')).body).toMatchObject({ disable_reasoning: false });
  });

  it('vercel merges its options into the body', async () => {
    expect((await send('vercel,model-x')).body).toMatchObject({
      providerOptions: { gateway: { order: ['bedrock', 'anthropic'] } },
    });
  });

  it('maxtoken caps max_tokens and leaves smaller ones', async () => {
    expect((await send('maxtoken,model-x')).body.max_tokens).toBe(4096);
    expect((await send('maxtoken,model-x', { max_tokens: 100 })).body.max_tokens).toBe(100);
  });

  it('maxcompletiontokens renames max_tokens', async () => {
    const { body } = await send('maxcompletiontokens,model-x', { max_tokens: 500 });
    expect(body).toMatchObject({ max_completion_tokens: 500 });
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('sampling caps max_tokens and forces the sampling parameters', async () => {
    const { body } = await send('sampling,model-x', {
      temperature: 0.1,
    } as Partial<Anthropic.MessageCreateParamsNonStreaming>);
    expect(body).toMatchObject({
      max_tokens: 1000,
      temperature: 0.6,
      top_p: 0.95,
      top_k: 20,
      repetition_penalty: 1.05,
    });
  });

  it('customparams adds parameters without overwriting the request’s scalars', async () => {
    const { body } = await send('customparams,model-x', {
      temperature: 0.2,
    } as Partial<Anthropic.MessageCreateParamsNonStreaming>);
    expect(body).toMatchObject({
      temperature: 0.2,
      chat_template_kwargs: { enable_thinking: true },
      extra_body: { a: 1 },
    });
  });

  it('streamoptions asks for usage in streams', async () => {
    await client.messages
      .stream({
        model: 'streamoptions,model-x',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'q' }],
      })
      .finalMessage();
    expect(upstream.requests[0]?.json).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('tooluse (per model) forces a tool and turns an ExitTool call into text', async () => {
    upstream.replyWith({
      toolCalls: [{ id: 'call_exit', name: 'ExitTool', input: { response: 'Nothing to run.' } }],
      stop: 'tool_use',
    });
    const { body, message } = await send('tooluse,model-x', { tools });
    expect(body.tool_choice).toBe('required');
    expect(
      (body.tools as Array<{ function: { name: string } }>).map(tool => tool.function.name),
    ).toEqual(['Bash', 'ExitTool']);
    expect(JSON.stringify((body.messages as unknown[]).at(-1))).toContain('Tool mode is active');
    expect(body.max_tokens).toBe(8192);
    expect(message.content).toEqual([{ type: 'text', text: 'Nothing to run.' }]);
    expect(message.stop_reason).toBe('end_turn');

    upstream.replyWith(
      {
        toolCalls: [{ id: 'call_exit', name: 'ExitTool', input: { response: 'Streamed answer.' } }],
        stop: 'tool_use',
      },
      { stream: true },
    );
    const streamed = await client.messages
      .stream({
        model: 'tooluse,model-x',
        max_tokens: 10,
        tools,
        messages: [{ role: 'user', content: 'q' }],
      })
      .finalMessage();
    expect(streamed.content).toEqual([{ type: 'text', text: 'Streamed answer.' }]);
    expect(streamed.stop_reason).toBe('end_turn');
  });

  it('enhancetool repairs malformed tool arguments in streams', async () => {
    const base = { id: 'c', object: 'chat.completion.chunk', model: 'm' };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    upstream.enqueue({
      type: 'sse',
      frames: formatOpenAISSE([
        chunk({
          tool_calls: [
            {
              index: 0,
              id: 'call_1',
              type: 'function',
              function: { name: 'Bash', arguments: "{'command': " },
            },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: "'ls -la',}" } }] }),
        chunk({}, 'tool_calls'),
      ]),
    });
    const message = await client.messages
      .stream({
        model: 'enhancetool,model-x',
        max_tokens: 10,
        tools,
        messages: [{ role: 'user', content: 'q' }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls -la' } },
    ]);
  });

  it('reasoning sends CCR thinking controls', async () => {
    const { body } = await send('reasoning,model-x', {
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    expect(body).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      enable_thinking: true,
    });
  });

  it('forcereasoning prompts for tags and maps them back to thinking', async () => {
    upstream.replyWith({
      text: '<reasoning_content>Think first.</reasoning_content>\nThe answer.',
      stop: 'end_turn',
    });
    const { body, message } = await send('forcereasoning,model-x');
    expect(JSON.stringify(body.messages)).toContain('<reasoning_content>');
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: 'Think first.' }),
      expect.objectContaining({ type: 'text', text: 'The answer.' }),
    ]);
  });

  it('extrathinktag splits <think> tags, also across stream chunks', async () => {
    upstream.replyWith(
      { text: '<think>Plan it.</think>Done.', stop: 'end_turn' },
      { stream: true },
    );
    const message = await client.messages
      .stream({
        model: 'extrathinktag,model-x',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'q' }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'thinking', thinking: 'Plan it.' }),
      expect.objectContaining({ type: 'text', text: 'Done.' }),
    ]);
  });

  it('cleancache leaves no cache_control upstream', async () => {
    const { body } = await send('cleancache,model-x', {
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }],
        },
      ],
    });
    expect(JSON.stringify(body)).not.toContain('cache_control');
  });
});
