import { describe, expect, it } from '@jest/globals';
import type { ParsedProviderConfig } from '@conduit/core';
import { createStreamDataPipeline } from '../run-transformers.js';
import type { TransformerContext, TransformerDefinition } from '../transformer-types.js';
import {
  cerebrasTransformer,
  cleancacheTransformer,
  customparamsTransformer,
  maxcompletiontokensTransformer,
  maxtokenTransformer,
  samplingTransformer,
  streamoptionsTransformer,
} from './body-transformers.js';
import { extrathinktagTransformer, forcereasoningTransformer } from './think-tag-transformers.js';
import { enhancetoolTransformer, tooluseTransformer } from './tool-transformers.js';
import {
  deepseekTransformer,
  groqTransformer,
  openrouterTransformer,
  vercelTransformer,
} from './vendor-transformers.js';

const context = (model = 'm'): TransformerContext => ({
  provider: { name: 'p', api_base_url: 'http://x', models: [model] } as ParsedProviderConfig,
  model,
  request: { model: 'claude', max_tokens: 1, messages: [] },
});

async function requestBody(
  definition: TransformerDefinition,
  options: Record<string, unknown>,
  body: Record<string, unknown>,
  model?: string,
): Promise<Record<string, unknown>> {
  const instance = definition.create(options);
  return (await instance.transformRequestBody?.(structuredClone(body), context(model))) ?? body;
}

async function responseBody(
  definition: TransformerDefinition,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const instance = definition.create({});
  return (await instance.transformResponseBody?.(structuredClone(body), context())) ?? body;
}

function streamThrough(
  definition: TransformerDefinition,
  chunks: Record<string, unknown>[],
): Record<string, unknown>[] {
  const pipeline = createStreamDataPipeline([definition.create({})], context());
  return [...chunks.flatMap(chunk => pipeline.push(structuredClone(chunk))), ...pipeline.end()];
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c',
  model: 'm',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

/** Stream output → the text and reasoning it carries, concatenated. */
function collect(chunks: Record<string, unknown>[]) {
  let content = '';
  let reasoning = '';
  for (const item of chunks) {
    const delta = (item.choices as Array<{ delta?: Record<string, string> }> | undefined)?.[0]
      ?.delta;
    content += delta?.content ?? '';
    reasoning += delta?.reasoning_content ?? '';
  }
  return { content, reasoning };
}

describe('CCR built-in transformers', () => {
  it.each<[string, Record<string, unknown>, string, Record<string, unknown>]>([
    ['deepseek caps chat at 8192', {}, 'deepseek-chat', { max_tokens: 8192 }],
    ['deepseek caps the reasoner at 65536', {}, 'deepseek-reasoner', { max_tokens: 65536 }],
    [
      'deepseek honours a max_tokens option',
      { max_tokens: 4000 },
      'deepseek-chat',
      { max_tokens: 4000 },
    ],
  ])('%s', async (_name, options, model, expected) => {
    expect(await requestBody(deepseekTransformer, options, { max_tokens: 100000 }, model)).toEqual(
      expected,
    );
  });

  it.each<[string, TransformerDefinition, Record<string, unknown>]>([
    ['openrouter', openrouterTransformer, { provider: { only: ['x'] } }],
    ['vercel', vercelTransformer, { providerOptions: { gateway: { order: ['a'] } } }],
  ])(
    '%s merges its options and turns finish_reason "error" chunks into errors',
    async (_name, definition, options) => {
      expect(await requestBody(definition, options, { model: 'm' })).toEqual({
        model: 'm',
        ...options,
      });
      expect(
        streamThrough(definition, [
          { choices: [{ delta: {}, finish_reason: 'error', error: { message: 'boom' } }] },
        ]),
      ).toEqual([{ error: { message: 'boom' } }]);
      await expect(
        responseBody(definition, {
          choices: [{ message: {}, finish_reason: 'error', error: { message: 'x' } }],
        }),
      ).rejects.toThrow('reported an error');
      expect(definition.validateOptions?.({ model: 'x' })).toEqual([
        'option "model" would overwrite the request\'s own "model"; remove it.',
      ]);
    },
  );

  it('openrouter selects OpenRouter reasoning controls', () => {
    expect(openrouterTransformer.create({}).settings).toEqual({ reasoningFormat: 'openrouter' });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'groq strips $schema',
      {
        tools: [
          {
            type: 'function',
            function: { name: 'a', parameters: { $schema: 'x', type: 'object' } },
          },
        ],
      },
      { tools: [{ type: 'function', function: { name: 'a', parameters: { type: 'object' } } }] },
    ],
  ])('%s', async (_name, body, expected) => {
    expect(await requestBody(groqTransformer, {}, body)).toEqual(expected);
  });

  it('groq gives named tool calls without ids an id', () => {
    const [output] = streamThrough(groqTransformer, [
      chunk({ tool_calls: [{ index: 0, function: { name: 'Bash', arguments: '{}' } }] }),
    ]);
    const call = (output!.choices as Array<{ delta: { tool_calls: Array<{ id: string }> } }>)[0]!
      .delta.tool_calls[0]!;
    expect(call.id).toMatch(/^call_[A-Za-z0-9_-]+$/);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['cerebras removes reasoning', { reasoning: { effort: 'high' } }, {}],
    ['cerebras keeps reasoning on otherwise', {}, { disable_reasoning: false }],
  ])('%s', async (_name, body, expected) => {
    expect(await requestBody(cerebrasTransformer, {}, body)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    ['caps max_tokens', { max_tokens: 100 }, { max_tokens: 500 }, { max_tokens: 100 }],
    ['leaves a smaller limit', { max_tokens: 100 }, { max_tokens: 50 }, { max_tokens: 50 }],
    ['never sets one', { max_tokens: 100 }, {}, {}],
    [
      'caps max_output_tokens (Responses)',
      { max_tokens: 100 },
      { max_output_tokens: 500 },
      { max_output_tokens: 100 },
    ],
    [
      'caps Gemini maxOutputTokens',
      { max_tokens: 100 },
      { generationConfig: { maxOutputTokens: 500 } },
      { generationConfig: { maxOutputTokens: 100 } },
    ],
  ])('maxtoken %s', async (_name, options, body, expected) => {
    expect(await requestBody(maxtokenTransformer, options, body)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, string[]]>([
    [{}, ['option "max_tokens" is required (the cap, e.g. 65536).']],
    [{ max_tokens: -1 }, ['option "max_tokens" must be a positive integer.']],
    [{ max_tokens: 10 }, []],
  ])('maxtoken validates %j', (options, problems) => {
    expect(maxtokenTransformer.validateOptions?.(options)).toEqual(problems);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ max_tokens: 10 }, { max_completion_tokens: 10 }],
    [{ model: 'o3' }, { model: 'o3' }],
  ])('maxcompletiontokens %j', async (body, expected) => {
    expect(await requestBody(maxcompletiontokensTransformer, {}, body)).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    [
      'forces parameters on chat bodies',
      { max_tokens: 10, temperature: 0.5, top_p: 0.9, top_k: 5, repetition_penalty: 1.1 },
      { max_tokens: 50, temperature: 1 },
      { max_tokens: 10, temperature: 0.5, top_p: 0.9, top_k: 5, repetition_penalty: 1.1 },
    ],
    [
      'uses generationConfig on Gemini bodies',
      { temperature: 0.5, top_k: 5 },
      { generationConfig: { temperature: 1 } },
      { generationConfig: { temperature: 0.5, topK: 5 } },
    ],
  ])('sampling %s', async (_name, options, body, expected) => {
    expect(await requestBody(samplingTransformer, options, body)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]>([
    [{ a: 1 }, {}, { a: 1 }],
    [{ temperature: 2 }, { temperature: 0.1 }, { temperature: 0.1 }],
    [{ kw: { x: 1, y: { z: 2 } } }, { kw: { x: 0, w: 3 } }, { kw: { x: 1, w: 3, y: { z: 2 } } }],
    [{ list: [1, 2] }, {}, { list: [1, 2] }],
  ])('customparams %j into %j', async (options, body, expected) => {
    expect(await requestBody(customparamsTransformer, options, body)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [{ stream: true }, { stream: true, stream_options: { include_usage: true } }],
    [{ stream: false }, { stream: false }],
  ])('streamoptions %j', async (body, expected) => {
    expect(await requestBody(streamoptionsTransformer, {}, body)).toEqual(expected);
  });

  it.each<[Record<string, unknown>, Record<string, unknown>]>([
    [
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }],
          },
          { role: 'system', content: 's', cache_control: { type: 'ephemeral' } },
        ],
      },
      {
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          { role: 'system', content: 's' },
        ],
      },
    ],
  ])('cleancache %#', async (body, expected) => {
    expect(await requestBody(cleancacheTransformer, {}, body)).toEqual(expected);
  });

  describe('tooluse', () => {
    it('adds the reminder, tool_choice required and ExitTool', async () => {
      const body = await requestBody(
        tooluseTransformer,
        {},
        {
          messages: [{ role: 'user', content: 'q' }],
          tools: [{ type: 'function', function: { name: 'Bash', parameters: {} } }],
        },
      );
      expect(body.tool_choice).toBe('required');
      expect(
        (body.tools as Array<{ function: { name: string } }>).map(tool => tool.function.name),
      ).toEqual(['Bash', 'ExitTool']);
      expect((body.messages as Array<{ role: string }>).at(-1)?.role).toBe('system');
    });

    it('keeps tool_choice alone when there are no tools', async () => {
      expect(await requestBody(tooluseTransformer, {}, { messages: [] })).not.toHaveProperty(
        'tool_choice',
      );
    });

    it.each<
      [string, Array<{ function: { name: string; arguments: string } }>, Record<string, unknown>]
    >([
      [
        'ExitTool alone → text, stop',
        [{ function: { name: 'ExitTool', arguments: '{"response":"hi"}' } }],
        { content: 'hi', finish_reason: 'stop' },
      ],
      [
        'ExitTool next to a real call → text plus the call',
        [
          { function: { name: 'Bash', arguments: '{}' } },
          { function: { name: 'ExitTool', arguments: '{"response":"hi"}' } },
        ],
        { content: 'hi', finish_reason: 'tool_calls', calls: ['Bash'] },
      ],
    ])('%s', async (_name, calls, expected) => {
      const body = await responseBody(tooluseTransformer, {
        choices: [{ message: { content: null, tool_calls: calls }, finish_reason: 'tool_calls' }],
      });
      const choice = (
        body.choices as Array<{
          message: { content: string; tool_calls?: Array<{ function: { name: string } }> };
          finish_reason: string;
        }>
      )[0]!;
      expect({
        content: choice.message.content,
        finish_reason: choice.finish_reason,
        ...(choice.message.tool_calls
          ? { calls: choice.message.tool_calls.map(call => call.function.name) }
          : {}),
      }).toEqual(expected);
    });

    it('turns a streamed ExitTool call into text before the finish', () => {
      const output = streamThrough(tooluseTransformer, [
        chunk({
          tool_calls: [{ index: 0, id: 'x', function: { name: 'ExitTool', arguments: '' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"response":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Done."}' } }] }),
        chunk({}, 'tool_calls'),
      ]);
      expect(collect(output).content).toBe('Done.');
      expect(JSON.stringify(output)).not.toContain('ExitTool');
      expect((output.at(-1)!.choices as Array<{ finish_reason: string }>)[0]!.finish_reason).toBe(
        'stop',
      );
    });
  });

  describe('enhancetool', () => {
    it.each<[string, string]>([
      ["{'a': 1,}", '{"a":1}'],
      ['{"a": "x', '{"a":"x"}'],
      ['not json at all [', '{}'],
    ])('repairs %s', async (raw, repaired) => {
      const body = await responseBody(enhancetoolTransformer, {
        choices: [
          { message: { tool_calls: [{ id: 'c', function: { name: 'f', arguments: raw } }] } },
        ],
      });
      const calls = (
        body.choices as Array<{
          message: { tool_calls: Array<{ function: { arguments: string } }> };
        }>
      )[0]!.message.tool_calls;
      expect(calls[0]!.function.arguments).toBe(repaired);
    });

    it('buffers streamed fragments and releases each call whole before the finish', () => {
      const output = streamThrough(enhancetoolTransformer, [
        chunk({ content: 'ok' }),
        chunk({
          tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{"x": 1,' } }],
        }),
        chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }),
        chunk({}, 'tool_calls'),
      ]);
      expect(output).toHaveLength(3);
      expect(output[1]).toMatchObject({
        choices: [
          {
            delta: {
              tool_calls: [
                { index: 0, id: 'a', function: { name: 'f', arguments: '{"x":1}' } },
                { index: 1, id: 'b', function: { name: 'g', arguments: '{}' } },
              ],
            },
          },
        ],
      });
    });

    it('releases buffered calls at the end of a stream without a finish chunk', () => {
      const output = streamThrough(enhancetoolTransformer, [
        chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }] }),
      ]);
      expect(output).toHaveLength(1);
    });
  });

  describe('extrathinktag', () => {
    it.each<[string, string[], { content: string; reasoning: string }]>([
      ['whole tags', ['<think>plan</think>answer'], { reasoning: 'plan', content: 'answer' }],
      [
        'tags split across chunks',
        ['<th', 'ink>pl', 'an</thi', 'nk>\nans', 'wer'],
        { reasoning: 'plan', content: 'answer' },
      ],
      ['no tags', ['just ', 'text <b>'], { reasoning: '', content: 'just text <b>' }],
      [
        'a dangling tag prefix at the end',
        ['answer <thi'],
        { reasoning: '', content: 'answer <thi' },
      ],
      [
        'unclosed think (cut by max tokens)',
        ['<think>still thinking'],
        { reasoning: 'still thinking', content: '' },
      ],
    ])('%s', (_name, pieces, expected) => {
      expect(
        collect(
          streamThrough(extrathinktagTransformer, [
            ...pieces.map(piece => chunk({ content: piece })),
            chunk({}, 'stop'),
          ]),
        ),
      ).toEqual(expected);
    });

    it('splits non-streamed content', async () => {
      const body = await responseBody(extrathinktagTransformer, {
        choices: [{ message: { content: '<think>plan</think>\nanswer' } }],
      });
      expect((body.choices as Array<{ message: unknown }>)[0]!.message).toEqual({
        content: 'answer',
        reasoning_content: 'plan',
      });
    });
  });

  describe('forcereasoning', () => {
    it('replays earlier reasoning and prompts on the last user turn', async () => {
      const body = await requestBody(
        forcereasoningTransformer,
        {},
        {
          messages: [
            { role: 'user', content: 'q1' },
            { role: 'assistant', content: 'a1', reasoning_content: 'r1' },
            { role: 'user', content: 'q2' },
          ],
        },
      );
      const messages = body.messages as Array<{
        role: string;
        content: unknown;
        reasoning_content?: string;
      }>;
      expect(messages[1]).toEqual({
        role: 'assistant',
        content: '<reasoning_content>r1</reasoning_content>\na1',
      });
      expect(JSON.stringify(messages[2]!.content)).toContain('Always think before answering');
    });

    it('adds a user prompt after a tool result', async () => {
      const body = await requestBody(
        forcereasoningTransformer,
        {},
        {
          messages: [{ role: 'tool', tool_call_id: 'x', content: 'r' }],
        },
      );
      expect((body.messages as Array<{ role: string }>).map(message => message.role)).toEqual([
        'tool',
        'user',
      ]);
    });

    it('parses streamed <reasoning_content> tags', () => {
      expect(
        collect(
          streamThrough(forcereasoningTransformer, [
            chunk({ content: '<reasoning_' }),
            chunk({ content: 'content>why</reasoning_content>' }),
            chunk({ content: 'what' }),
            chunk({}, 'stop'),
          ]),
        ),
      ).toEqual({ reasoning: 'why', content: 'what' });
    });
  });
});
