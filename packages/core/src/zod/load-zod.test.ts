import { describe, expect, it } from '@jest/globals';
import { createConduitRouter, parseConfig, TokenCounter } from '../index.js';
import { isZodLoaded } from './load-zod.js';

describe('loadZod', () => {
  it('is not called by importing core, building a router from a valid config and routing', async () => {
    const router = createConduitRouter(
      {
        Providers: [
          { name: 'p', api_base_url: 'http://127.0.0.1:9/v1/chat/completions', models: ['m'] },
        ],
        Router: { default: 'p,m', customRules: [{ name: 'r', route: 'p,m' }] },
        server: { healthCheck: false },
      },
      { tokenCounter: new TokenCounter() },
    );
    await router.initialize();
    const decision = await router.route({
      request: { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(decision.provider).toBe('p');
    expect(isZodLoaded()).toBe(false);
  });

  it('loads zod for the errors of a bad config', () => {
    expect(() => parseConfig({ Providers: [{ name: '' }] })).toThrow(
      /Providers\[0\]\.name: must not be empty/,
    );
    expect(isZodLoaded()).toBe(true);
  });
});
