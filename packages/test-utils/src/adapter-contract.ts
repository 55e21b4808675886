import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedRequest } from './mock-http-server.js';
import type { ScriptedAnswer } from './scripted-answer.js';

/** The upstream side of a contract run: a mock speaking the adapter's wire format. */
export interface ContractUpstream {
  /** Queues `answer` for the next request, as JSON or as a stream. */
  replyWith(answer: ScriptedAnswer, options: { stream: boolean }): void;
  /** Queues an HTTP error answer in the provider's error format. */
  replyWithError(status: number, message: string, headers?: Record<string, string>): void;
  readonly requests: RecordedRequest[];
}

/** A gateway running in front of a contract upstream. */
export interface ContractEnvironment {
  upstream: ContractUpstream;
  /** Base URL of the gateway, for the Anthropic SDK. */
  baseURL: string;
  close(): Promise<void>;
}

export interface AdapterContractOptions {
  /** Adapter name, used in test titles. */
  name: string;
  /** Starts the mock upstream and a real gateway in front of it. */
  createProvider(): Promise<ContractEnvironment>;
}

type Mode = 'create' | 'stream';

/**
 * Config to merge into the gateway a contract run starts: the contract judges one adapter's
 * translation, so the gateway's retries and circuit breaker (which would retry the scripted 429
 * and then serve the next scripted answer) are switched off.
 */
export const adapterContractGatewayConfig = {
  resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } },
} as const;

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

const baseParams = {
  model: 'claude-contract',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris and Rome?' }],
  tools: [weatherTool],
};

/**
 * The behaviour every provider adapter must show, judged through the real gateway with the
 * official `@anthropic-ai/sdk` (`messages.create` and `messages.stream().finalMessage()`): text,
 * tool use, parallel tool calls, thinking, the max_tokens stop, an upstream 429 surfacing as a
 * retryable 429, and streams that end with `message_stop`.
 *
 * @example
 * ```ts
 * runAdapterContract({ name: 'openai', createProvider: async () => { ... } });
 * ```
 */
export function runAdapterContract(options: AdapterContractOptions): void {
  describe(`${options.name} adapter contract`, () => {
    let environment: ContractEnvironment;
    let client: Anthropic;

    beforeAll(async () => {
      environment = await options.createProvider();
      client = new Anthropic({
        baseURL: environment.baseURL,
        apiKey: 'sk-client-key',
        maxRetries: 0,
      });
    });
    afterAll(async () => {
      await environment?.close();
    });

    async function send(mode: Mode, answer: ScriptedAnswer): Promise<Anthropic.Message> {
      environment.upstream.replyWith(answer, { stream: mode === 'stream' });
      if (mode === 'create') return client.messages.create({ ...baseParams, stream: false });
      return client.messages.stream(baseParams).finalMessage();
    }

    describe.each<Mode>(['create', 'stream'])('messages.%s', mode => {
      it('returns text with end_turn and usage', async () => {
        const message = await send(mode, {
          text: 'Hello from the contract.',
          stop: 'end_turn',
          usage: { input: 21, output: 6 },
        });
        expect(message.content).toEqual([
          expect.objectContaining({ type: 'text', text: 'Hello from the contract.' }),
        ]);
        expect(message.stop_reason).toBe('end_turn');
        expect(message.usage).toMatchObject({ input_tokens: 21, output_tokens: 6 });
      });

      it('returns a tool_use block with parsed input', async () => {
        const message = await send(mode, {
          text: 'Checking.',
          toolCalls: [{ id: 'toolu_contract_1', name: 'get_weather', input: { city: 'Paris' } }],
          stop: 'tool_use',
          usage: { input: 30, output: 12 },
        });
        expect(message.stop_reason).toBe('tool_use');
        expect(message.content).toEqual([
          expect.objectContaining({ type: 'text', text: 'Checking.' }),
          {
            type: 'tool_use',
            id: 'toolu_contract_1',
            name: 'get_weather',
            input: { city: 'Paris' },
          },
        ]);
      });

      it('returns parallel tool calls as separate blocks', async () => {
        const message = await send(mode, {
          toolCalls: [
            { id: 'toolu_contract_a', name: 'get_weather', input: { city: 'Paris' } },
            {
              id: 'toolu_contract_b',
              name: 'get_weather',
              input: { city: 'Rome', units: 'metric' },
            },
          ],
          stop: 'tool_use',
          usage: { input: 30, output: 20 },
        });
        const toolUses = message.content.filter(block => block.type === 'tool_use');
        expect(toolUses).toEqual([
          {
            type: 'tool_use',
            id: 'toolu_contract_a',
            name: 'get_weather',
            input: { city: 'Paris' },
          },
          {
            type: 'tool_use',
            id: 'toolu_contract_b',
            name: 'get_weather',
            input: { city: 'Rome', units: 'metric' },
          },
        ]);
      });

      it('puts thinking first, with a signature', async () => {
        const message = await send(mode, {
          reasoning: 'The user wants weather; call the tool.',
          text: 'Let me look.',
          stop: 'end_turn',
          usage: { input: 15, output: 25 },
        });
        expect(message.content[0]).toMatchObject({
          type: 'thinking',
          thinking: 'The user wants weather; call the tool.',
        });
        const thinking = message.content[0] as Anthropic.ThinkingBlock;
        expect(thinking.signature.length).toBeGreaterThan(0);
        expect(message.content[1]).toMatchObject({ type: 'text', text: 'Let me look.' });
      });

      it('reports max_tokens', async () => {
        const message = await send(mode, {
          text: 'Cut sh',
          stop: 'max_tokens',
          usage: { input: 5, output: 256 },
        });
        expect(message.stop_reason).toBe('max_tokens');
      });

      it('turns an upstream 429 into a retryable rate_limit_error', async () => {
        environment.upstream.replyWithError(429, 'slow down', { 'retry-after': '7' });
        const request =
          mode === 'create'
            ? client.messages.create({ ...baseParams, stream: false })
            : client.messages.stream(baseParams).finalMessage();
        const error = await request.then(
          () => undefined,
          (failure: unknown) => failure,
        );
        expect(error).toBeInstanceOf(Anthropic.RateLimitError);
        const apiError = error as InstanceType<typeof Anthropic.RateLimitError>;
        expect(apiError.status).toBe(429);
        expect(apiError.headers?.get('retry-after')).toBe('7');
        expect((apiError.error as { error?: { type?: string } }).error?.type).toBe(
          'rate_limit_error',
        );
      });
    });

    it('streams start with message_start and end with message_stop', async () => {
      environment.upstream.replyWith(
        {
          reasoning: 'Hmm.',
          text: 'Two calls.',
          toolCalls: [
            { id: 'toolu_contract_x', name: 'get_weather', input: { city: 'Paris' } },
            { id: 'toolu_contract_y', name: 'get_weather', input: { city: 'Rome' } },
          ],
          stop: 'tool_use',
          usage: { input: 9, output: 9 },
        },
        { stream: true },
      );
      const stream = await client.messages.create({ ...baseParams, stream: true });
      const types: string[] = [];
      const indexes: number[] = [];
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'content_block_start') indexes.push(event.index);
      }
      expect(types[0]).toBe('message_start');
      expect(types.at(-1)).toBe('message_stop');
      expect(types.at(-2)).toBe('message_delta');
      expect(indexes).toEqual([0, 1, 2, 3]);
      expect(types.filter(type => type === 'content_block_start')).toHaveLength(
        types.filter(type => type === 'content_block_stop').length,
      );
    });
  });
}
