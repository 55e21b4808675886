import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@conduit/core';
import { ConduitServer, createConduitServer } from './index.js';

const ccrConfig = {
  Providers: [
    {
      name: 'deepseek',
      api_base_url: 'http://127.0.0.1:9/chat/completions',
      api_key: 'sk-test',
      models: ['deepseek-chat'],
    },
  ],
  Router: { default: 'deepseek,deepseek-chat' },
};

describe('new ConduitServer(config)', () => {
  it('takes the config as written, like createConduitServer', async () => {
    const server = new ConduitServer(ccrConfig);
    const decision = await server.route({
      request: {
        model: 'claude-opus-4-8',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    expect(decision).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'default',
    });
    const viaFactory = await createConduitServer(ccrConfig).route({
      request: { model: 'x', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(viaFactory.provider).toBe('deepseek');
  });

  it('rejects an invalid config with every problem', () => {
    const attempt = () => new ConduitServer({ ...ccrConfig, Router: { default: 'nowhere,model' } });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/Router\.default/);
  });
});
