import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  conduitConfigSchema,
  countTokensRequestSchema,
  messagesRequestSchema,
  modelPriceSchema,
  routerConfigSchema,
} from '../index.js';
import { lazySchema } from './lazy-schema.js';

describe('lazySchema', () => {
  it('creates the object on first use only, once', () => {
    let created = 0;
    const lazy = lazySchema(() => {
      created++;
      return { answer: 42 };
    });
    expect(created).toBe(0);
    expect(lazy.answer).toBe(42);
    expect('answer' in lazy).toBe(true);
    expect(Object.keys(lazy)).toEqual(['answer']);
    expect({ ...lazy }).toEqual({ answer: 42 });
    expect(created).toBe(1);
  });
});

describe("core's exported schemas (built on first use)", () => {
  it('are zod schemas to zod', () => {
    expect(conduitConfigSchema instanceof z.ZodObject).toBe(true);
    expect(messagesRequestSchema instanceof z.ZodType).toBe(true);
    expect(Object.getPrototypeOf(modelPriceSchema)).not.toBe(Object.prototype);
  });

  it('parse, refine and describe as before', () => {
    expect(modelPriceSchema.parse({ input: 1, output: 2, x: 3 })).toEqual({ input: 1, output: 2 });
    expect(modelPriceSchema.safeParse({ input: -1, output: 2 }).success).toBe(false);
    expect(routerConfigSchema.parse({})).toEqual({
      longContextThreshold: 60000,
      customRules: [],
      thinkOnAdaptive: false,
    });
    expect(countTokensRequestSchema.safeParse({ model: 'm', messages: [] }).success).toBe(true);
    expect(conduitConfigSchema.shape.Providers.description).toContain('upstream providers');
  });

  it('compose into schemas of the caller', () => {
    const wrapper = z.object({
      price: modelPriceSchema,
      request: messagesRequestSchema.optional(),
    });
    expect(wrapper.parse({ price: { input: 1, output: 1 } })).toEqual({
      price: { input: 1, output: 1 },
    });
    const extended = messagesRequestSchema.extend({ extra: z.number() });
    expect(
      extended.safeParse({ model: 'm', messages: [], max_tokens: 1, extra: 'x' }).success,
    ).toBe(false);
    const shapeKeys = Object.keys(routerConfigSchema.shape);
    expect(shapeKeys).toContain('customRules');
    const jsonSchema = modelPriceSchema.toJSONSchema() as { properties: object };
    expect(Object.keys(jsonSchema.properties)).toEqual([
      'input',
      'output',
      'cacheRead',
      'cacheWrite',
    ]);
  });
});
