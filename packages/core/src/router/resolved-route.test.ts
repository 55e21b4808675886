import { describe, expect, it } from '@jest/globals';
import { NoRouteError, createProviderIndex, parseConfig } from '../index.js';
import { ConduitRouter } from './conduit-router.js';
import { resolveConfiguredRoute, resolvedRouteOf } from './resolved-route.js';
import { routerTestConfig } from './test-router-setup.js';

const request = {
  model: 'claude-sonnet-4',
  max_tokens: 10,
  messages: [{ role: 'user', content: 'hi' }],
};

describe('route once', () => {
  it('records the provider entry the router resolved the decision to', async () => {
    const config = parseConfig(routerTestConfig);
    const router = new ConduitRouter(config);
    const decision = await router.route({ request: structuredClone(request) } as never);
    const resolved = resolvedRouteOf(decision);
    expect(resolved?.provider).toBe(config.Providers[1]);
    expect(resolved).toMatchObject({ providerIndex: 1, model: 'deepseek-chat' });
  });

  it('forgets the resolution of a decision whose target was changed or copied', async () => {
    const router = new ConduitRouter(parseConfig(routerTestConfig));
    const decision = await router.route({ request: structuredClone(request) } as never);
    expect(resolvedRouteOf({ ...decision })).toBeUndefined();
    decision.model = 'deepseek-reasoner';
    expect(resolvedRouteOf(decision)).toBeUndefined();
  });

  it('resolves fallback strings with the routing messages', () => {
    const index = createProviderIndex(parseConfig(routerTestConfig).Providers);
    expect(resolveConfiguredRoute(index, 'DeepSeek,DEEPSEEK-CHAT', 'Fallback route')).toMatchObject(
      { providerIndex: 1, model: 'deepseek-chat' },
    );
    expect(() => resolveConfiguredRoute(index, 'nope,model', 'Fallback route')).toThrow(
      NoRouteError,
    );
    expect(() => resolveConfiguredRoute(index, 'deepseek,nope', 'Fallback route')).toThrow(
      /Fallback route "deepseek,nope" names model "nope"/,
    );
  });
});
