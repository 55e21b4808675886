import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import type { ConduitPlugin, RequestRoutingContext } from '@conduit/core';
import { type MockAnthropicProvider, startMockAnthropicProvider } from '@conduit/test-utils';
import { startTestGateway } from './test-gateway.js';

const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

/**
 * The server forwards the client's raw bytes on the Anthropic passthrough unless routing may have
 * changed the request (`RoutingHooks.rewritesRequests`). Through the composition root that answer
 * comes from the config's PluginManager: a `beforeRouting` plugin's change must reach the upstream.
 */
describe('config plugins that rewrite the request, through createConduit', () => {
  let upstream: MockAnthropicProvider;

  beforeAll(async () => {
    upstream = await startMockAnthropicProvider();
  });
  afterAll(async () => {
    await upstream.close();
  });

  const provider = () => ({
    name: 'claude',
    api_base_url: upstream.url,
    api_key: 'sk-upstream-key-0123456789',
    models: ['claude-upstream'],
    transformer: { use: ['Anthropic'] },
  });

  it('forwards what a beforeRouting plugin made of the request', async () => {
    const rewriter: ConduitPlugin = {
      name: 'system-rewriter',
      beforeRouting: (context: RequestRoutingContext) => ({
        ...context,
        request: { ...context.request, system: 'added by a plugin', temperature: 0.25 },
      }),
    };
    const gateway = await startTestGateway({
      Providers: [provider()],
      Router: { default: 'claude,claude-upstream' },
      plugins: [{ name: 'system-rewriter', source: 'inline', module: rewriter }],
    });
    try {
      expect(gateway.server.plugins?.rewritesRequests()).toBe(true);
      const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
      upstream.reset();
      upstream.replyWith({ text: 'ok', stop: 'end_turn' });
      await client.messages.create(message as never);
      expect(upstream.requests[0]?.json).toMatchObject({
        model: 'claude-upstream',
        system: 'added by a plugin',
        temperature: 0.25,
      });
    } finally {
      await gateway.close();
    }
  });

  it('keeps the passthrough bytes when no plugin has a beforeRouting hook', async () => {
    const gateway = await startTestGateway({
      Providers: [provider()],
      Router: { default: 'claude,claude-upstream' },
      plugins: [{ name: 'model-allowlist', config: { allow: ['claude,*'] } }],
    });
    try {
      expect(gateway.server.plugins?.rewritesRequests()).toBe(false);
      const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
      upstream.reset();
      upstream.replyWith({ text: 'ok', stop: 'end_turn' });
      await client.messages.create({ ...message, temperature: 0.5 } as never);
      expect(upstream.requests[0]?.json).toMatchObject({
        model: 'claude-upstream',
        temperature: 0.5,
      });
    } finally {
      await gateway.close();
    }
  });
});
