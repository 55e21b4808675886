import { describe, expect, it } from '@jest/globals';
import type { Logger } from '@conduit/core';
import { ConfigError } from '@conduit/core';
import { computeCost } from './compute-cost.js';
import { normalizeModelId } from './normalize-model-id.js';
import { PriceResolver } from './price-resolver.js';
import { pricingTable } from './pricing-table.js';

function recordingLogger() {
  const warnings: Array<[string, Record<string, unknown> | undefined]> = [];
  const logger: Logger = {
    trace() {},
    debug() {},
    info() {},
    warn: (message, details) => {
      warnings.push([message, details]);
    },
    error() {},
  };
  return { logger, warnings };
}

describe('normalizeModelId', () => {
  it.each([
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-opus-4-8', 'claude-opus-4-8'],
    ['claude-opus-4-8[1m]', 'claude-opus-4-8'],
    ['claude-sonnet-5', 'claude-sonnet-5'],
    ['anthropic/claude-3.5-sonnet', 'claude-3-5-sonnet'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['anthropic/claude-3.7-sonnet:thinking', 'claude-3-7-sonnet'],
    ['us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'claude-3-5-sonnet'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['openai/gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4.1-mini-2025-04-14', 'gpt-4-1-mini'],
    ['openai/gpt-5', 'gpt-5'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['google/gemini-2.5-pro-preview-06-05', 'gemini-2-5-pro'],
    ['gemini-2.0-flash-001', 'gemini-2-0-flash'],
    ['deepseek/deepseek-chat-v3-0324', 'deepseek-chat'],
    ['deepseek/deepseek-r1', 'deepseek-reasoner'],
    ['DeepSeek-Chat', 'deepseek-chat'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeModelId(input)).toEqual({ id: expected, free: false });
  });

  it('flags OpenRouter free variants', () => {
    expect(normalizeModelId('deepseek/deepseek-r1:free')).toEqual({
      id: 'deepseek-reasoner',
      free: true,
    });
  });
});

describe('PriceResolver', () => {
  it.each([
    ['anthropic', 'claude-opus-4-8', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
    ['anthropic', 'claude-sonnet-5', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
    [
      'anthropic',
      'claude-sonnet-4-20250514',
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    ],
    [
      'anthropic',
      'claude-opus-4-1-20250805',
      { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
    ],
    [
      'anthropic',
      'claude-haiku-4-5-20251001',
      { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
    ],
    ['openai', 'gpt-4o-2024-08-06', { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 2.5 }],
    ['openai', 'gpt-4.1', { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 }],
    ['openai', 'o4-mini', { input: 1.1, output: 4.4, cacheRead: 0.275, cacheWrite: 1.1 }],
    ['openai', 'gpt-5-mini', { input: 0.25, output: 2, cacheRead: 0.025, cacheWrite: 0.25 }],
    ['gemini', 'gemini-2.5-flash', { input: 0.3, output: 2.5, cacheRead: 0.03, cacheWrite: 0.3 }],
    ['gemini', 'gemini-2.0-flash', { input: 0.1, output: 0.4, cacheRead: 0.025, cacheWrite: 0.1 }],
    [
      'deepseek',
      'deepseek-chat',
      { input: 0.28, output: 0.42, cacheRead: 0.028, cacheWrite: 0.28 },
    ],
    [
      'deepseek',
      'deepseek-reasoner',
      { input: 0.28, output: 0.42, cacheRead: 0.028, cacheWrite: 0.28 },
    ],
    [
      'openrouter',
      'anthropic/claude-sonnet-4.5',
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    ],
    [
      'openrouter',
      'google/gemini-2.5-pro',
      { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 },
    ],
  ])('prices %s,%s from the table', (provider, model, expected) => {
    const resolved = new PriceResolver().resolve(provider, model);
    expect(resolved?.source).toBe('table');
    expect(resolved?.price).toEqual(expected);
  });

  it('marks assumed prices with a note', () => {
    expect(new PriceResolver().resolve('anthropic', 'claude-opus-4-8')?.note).toMatch(/assumed/);
    expect(new PriceResolver().resolve('anthropic', 'claude-opus-4-5')?.note).toBeUndefined();
  });

  it('bills OpenRouter :free variants at zero', () => {
    const resolved = new PriceResolver().resolve('openrouter', 'deepseek/deepseek-r1:free');
    expect(resolved).toMatchObject({ source: 'free', price: { input: 0, output: 0 } });
  });

  it('prefers provider,model overrides, then model overrides, then the table', () => {
    const prices = new PriceResolver({
      overrides: {
        'deepseek,deepseek-chat': { input: 0.27, output: 1.1 },
        'deepseek-chat': { input: 9, output: 9 },
        'claude-sonnet-4': { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.5 },
        'openrouter,my-vendor/custom-model': { input: 0.5, output: 0.5 },
      },
    });
    expect(prices.resolve('deepseek', 'deepseek-chat')).toMatchObject({
      source: 'override',
      key: 'deepseek,deepseek-chat',
      price: { input: 0.27, output: 1.1 },
    });
    expect(prices.resolve('siliconflow', 'deepseek-chat')?.price).toEqual({ input: 9, output: 9 });
    // A model override written without a date still applies to dated ids.
    expect(prices.resolve('anthropic', 'claude-sonnet-4-20250514')?.price.input).toBe(1);
    expect(prices.resolve('openrouter', 'my-vendor/custom-model')?.price.input).toBe(0.5);
    expect(prices.resolve('OpenRouter', 'my-vendor/custom-model')?.price.input).toBe(0.5);
    expect(prices.resolve('openai', 'gpt-4o')?.source).toBe('table');
  });

  it('resolves unknown models to null and warns once per provider,model', () => {
    const { logger, warnings } = recordingLogger();
    const prices = new PriceResolver({ logger });
    expect(prices.resolve('custom', 'conduit/my-custom-model')).toBeNull();
    expect(prices.resolve('custom', 'conduit/my-custom-model')).toBeNull();
    expect(prices.resolve('other', 'conduit/my-custom-model')).toBeNull();
    // A future model is not silently priced as an older family member.
    expect(prices.resolve('anthropic', 'claude-opus-4-9')).toBeNull();
    expect(warnings).toHaveLength(3);
    expect(warnings[0]?.[1]).toMatchObject({
      provider: 'custom',
      model: 'conduit/my-custom-model',
    });
    expect(String(warnings[0]?.[1]?.fix)).toContain(
      'usage.pricing["custom,conduit/my-custom-model"]',
    );
  });

  it('rejects invalid overrides with every problem listed', () => {
    const build = () =>
      new PriceResolver({
        overrides: {
          good: { input: 1, output: 1 },
          'negative,model': { input: -1, output: 1 },
          missing: { input: 1 } as never,
          ',': { input: 1, output: 1 },
        },
      });
    expect(build).toThrow(ConfigError);
    try {
      build();
    } catch (error) {
      const issues = (error as ConfigError).issues.map(issue => issue.path);
      expect(issues).toEqual([
        'usage.pricing["negative,model"]',
        'usage.pricing["missing"]',
        'usage.pricing[","]',
      ]);
    }
  });

  it('caches lookups (the same object comes back) and accepts a replacement table', () => {
    const prices = new PriceResolver({ table: { 'some-model': { input: 1, output: 2 } } });
    const first = prices.resolve('p', 'some-model');
    expect(first?.price).toEqual({ input: 1, output: 2 });
    expect(prices.resolve('p', 'some-model')).toBe(first);
    expect(prices.resolve('p', 'gpt-4o')).toBeNull();
  });

  it('has complete entries for every table row', () => {
    for (const [id, entry] of Object.entries(pricingTable)) {
      expect(normalizeModelId(id).id).toBe(id);
      expect(entry.input).toBeGreaterThanOrEqual(0);
      expect(entry.output).toBeGreaterThanOrEqual(entry.input === 0 ? 0 : entry.input * 0.5);
      expect(entry.cacheRead).toBeDefined();
      expect(entry.cacheWrite).toBeDefined();
    }
  });
});

describe('computeCost', () => {
  it('prices input, output, cache reads and cache writes separately', () => {
    const cost = computeCost(
      { inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 10000, cacheWriteTokens: 4000 },
      { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
    );
    expect(cost).toBeCloseTo(0.003 + 0.03 + 0.003 + 0.015, 12);
  });

  it('bills cache tokens at the input rate when the price has no cache rates', () => {
    const cost = computeCost(
      { inputTokens: 0, outputTokens: 0, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 },
      { input: 2, output: 8 },
    );
    expect(cost).toBe(4);
  });

  it('is zero for zero tokens', () => {
    expect(
      computeCost(
        { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        { input: 3, output: 15 },
      ),
    ).toBe(0);
  });
});
