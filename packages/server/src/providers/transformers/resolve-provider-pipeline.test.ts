import { describe, expect, it } from '@jest/globals';
import { ConfigError, type ParsedProviderConfig } from '@conduit/core';
import { createDefaultTransformerRegistry } from './builtin-transformers.js';
import { isAnthropicEndpoint, resolveProviderPipeline } from './resolve-provider-pipeline.js';
import type { TransformerInstance } from './transformer-types.js';

const registry = createDefaultTransformerRegistry();

function provider(overrides: Record<string, unknown>): ParsedProviderConfig {
  return {
    name: 'p',
    api_base_url: 'https://api.example.com/v1/chat/completions',
    models: ['m'],
    ...overrides,
  } as ParsedProviderConfig;
}

describe('resolveProviderPipeline', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['OpenAI-compatible by default', {}, 'openai'],
    ['Anthropic by URL', { api_base_url: 'https://api.anthropic.com/v1/messages' }, 'anthropic'],
    ['Gemini by transformer', { transformer: { use: ['gemini'] } }, 'gemini'],
    [
      'Responses API by transformer',
      { transformer: { use: ['openai-responses'] } },
      'openai-responses',
    ],
    [
      'Anthropic by transformer',
      { api_base_url: 'https://proxy.example.com', transformer: { use: ['Anthropic'] } },
      'anthropic',
    ],
    [
      'OpenAI named explicitly over an Anthropic-looking URL',
      { api_base_url: 'https://x/v1/messages', transformer: { use: ['OpenAI'] } },
      'openai',
    ],
    [
      'model-level transformer selects the adapter',
      { transformer: { m: { use: ['Anthropic'] } } },
      'anthropic',
    ],
  ])('%s', (_name, overrides, adapterId) => {
    expect(resolveProviderPipeline(provider(overrides), 'm', registry).adapterId).toBe(adapterId);
  });

  it('applies requests in use order and responses in CCR reverse order', () => {
    const names = (items: TransformerInstance[]) => items.map(item => item.name);
    const pipeline = resolveProviderPipeline(
      provider({
        transformer: {
          use: ['OpenAI', ['reasoning', { format: 'reasoning_effort' }]],
          m: { use: ['reasoning'] },
        },
      }),
      'm',
      registry,
    );
    expect(names(pipeline.requestTransformers)).toEqual(['OpenAI', 'reasoning', 'reasoning']);
    expect(names(pipeline.responseTransformers)).toEqual(['reasoning', 'OpenAI', 'reasoning']);
    // The model-level `reasoning` (default format) comes last and wins.
    expect(pipeline.settings).toEqual({ reasoningFormat: 'thinking' });
  });

  it('passes UseBearer to the Anthropic adapter', () => {
    const pipeline = resolveProviderPipeline(
      provider({ transformer: { use: [['Anthropic', { UseBearer: true }]] } }),
      'm',
      registry,
    );
    expect(pipeline.settings).toEqual({ useBearer: true });
  });

  it('reasoning with enable:false switches reasoning off in the body', () => {
    const pipeline = resolveProviderPipeline(
      provider({ transformer: { use: [['reasoning', { enable: false }]] } }),
      'm',
      registry,
    );
    const body = pipeline.requestTransformers[0]!.transformRequestBody!(
      { reasoning_effort: 'high' },
      { provider: provider({}), model: 'm', request: { model: 'x', max_tokens: 1, messages: [] } },
    );
    expect(body).toEqual({ thinking: { type: 'disabled' }, enable_thinking: false });
  });

  it('throws a ConfigError naming the known transformers for an unknown name', () => {
    expect(() =>
      resolveProviderPipeline(provider({ transformer: { use: ['no-such'] } }), 'm', registry),
    ).toThrow(ConfigError);
  });

  it('refuses the Vertex transformers with the alternatives', () => {
    expect(() =>
      resolveProviderPipeline(provider({ transformer: { use: ['vertex-gemini'] } }), 'm', registry),
    ).toThrow(/vertex-gemini is not supported by Conduit yet/);
  });

  it.each([
    ['https://api.anthropic.com/v1/messages', true],
    ['https://api.anthropic.com/v1/messages/', true],
    ['https://x/v1/messages?beta=true', true],
    ['https://api.deepseek.com/chat/completions', false],
  ])('isAnthropicEndpoint(%s) = %s', (url, expected) => {
    expect(isAnthropicEndpoint(url)).toBe(expected);
  });
});
