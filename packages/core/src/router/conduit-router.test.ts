import { describe, expect, it } from '@jest/globals';
import { createConduitRouter } from './conduit-router.js';

describe('ConduitRouter seed example', () => {
  it('routes a 1000-token message to Router.default', async () => {
    const router = createConduitRouter({
      Providers: [
        {
          name: 'anthropic',
          api_base_url: 'https://api.anthropic.com/v1/messages',
          api_key: 'sk-test',
          models: ['claude-3-5-sonnet-20241022'],
        },
      ],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    });
    await router.initialize();
    const decision = await router.route({
      request: {
        model: 'claude-3-5-sonnet-20241022',
        max_tokens: 1024,
        messages: [{ role: 'user', content: `hello${' hello'.repeat(999)}` }],
      },
    });
    expect(decision).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      reason: 'default',
      scenario: 'default',
      confidence: 0.5,
    });
    expect(decision.tokenCount).toBe(1000);
  });
});
