import { type ConduitConfigInput, createConduitRouter } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import { PluginRejectionError } from '../../errors/plugin-rejection-error.js';
import { PluginManager } from '../../plugin-manager.js';
import { createContext, createDecision } from '../../test-helpers.js';
import { createModelAllowlistPlugin } from './index.js';
import { compileRoutePattern } from './match-route-pattern.js';

describe('compileRoutePattern', () => {
  it.each([
    ['anthropic,*', 'anthropic', 'claude-sonnet-4-5', true],
    ['anthropic,*', 'openai', 'gpt-5', false],
    ['*,claude-*', 'openrouter', 'claude-3.5', true],
    ['openrouter,anthropic/*', 'openrouter', 'anthropic/claude-3.5-sonnet', true],
    ['openrouter,anthropic/*', 'openrouter', 'google/gemini-2.5-pro', false],
    ['ollama,qwen2.5-coder:??????', 'Ollama', 'QWEN2.5-coder:latest', true],
    ['deepseek,deepseek-chat', 'deepseek', 'deepseek-chat-v2', false],
    ['a.b,(x)', 'a.b', '(x)', true],
    ['a.b,(x)', 'aXb', '(x)', false],
  ])('%s matches %s,%s: %s', (pattern, provider, model, expected) => {
    expect(compileRoutePattern(pattern).matches(provider, model)).toBe(expected);
  });

  it.each(['anthropic', ',model', 'provider,'])('refuses "%s"', pattern => {
    expect(() => compileRoutePattern(pattern)).toThrow('is not a "provider,model" pattern');
  });
});

describe('model-allowlist', () => {
  it('lets allowed routes through and drops disallowed fallbacks', () => {
    const plugin = createModelAllowlistPlugin({ allow: ['anthropic,*', 'deepseek,*'] });
    const decision = createDecision({ fallbacks: ['openai,gpt-5', 'deepseek,deepseek-chat'] });
    expect(plugin.afterRouting?.(decision, createContext())).toEqual({
      ...decision,
      fallbacks: ['deepseek,deepseek-chat'],
    });
  });

  it('rewrites a blocked route to the fallback and says why', () => {
    const plugin = createModelAllowlistPlugin({
      allow: ['deepseek,*'],
      fallback: 'deepseek,deepseek-chat',
    });
    expect(
      plugin.afterRouting?.(createDecision({ reason: 'think' }), createContext()),
    ).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'plugin:model-allowlist',
      metadata: { modelAllowlist: { blocked: 'anthropic,claude-sonnet-4-5', reason: 'think' } },
    });
  });

  it('refuses a blocked route with a PluginRejectionError the server maps to 403 permission_error', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([{ name: 'model-allowlist', config: { allow: ['deepseek,*'] } }]);
    const failure = await manager
      .afterRouting(createDecision(), createContext())
      .catch(error => error);
    expect(PluginRejectionError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({
      statusCode: 403,
      errorType: 'permission_error',
      pluginName: 'model-allowlist',
      message:
        'The route "anthropic,claude-sonnet-4-5" is not allowed on this gateway (model-allowlist). Allowed: deepseek,*.',
    });
  });

  it('uses statusCode 400 (invalid_request_error) when configured, and reject even with a fallback', () => {
    const plugin = createModelAllowlistPlugin({
      allow: ['deepseek,*'],
      fallback: 'deepseek,deepseek-chat',
      onViolation: 'reject',
      statusCode: 400,
    });
    expect(() => plugin.afterRouting?.(createDecision(), createContext())).toThrow(
      expect.objectContaining({ statusCode: 400, errorType: 'invalid_request_error' }),
    );
  });

  it('guards every decision of the Conduit router, plugin and explicit routes included', async () => {
    const config: ConduitConfigInput = {
      Providers: [
        {
          name: 'deepseek',
          api_base_url: 'https://d.example/chat/completions',
          api_key: 'k',
          models: ['deepseek-chat'],
        },
        {
          name: 'openai',
          api_base_url: 'https://o.example/chat/completions',
          api_key: 'k',
          models: ['gpt-5'],
        },
      ],
      Router: { default: 'deepseek,deepseek-chat' },
    };
    const manager = new PluginManager();
    await manager.loadPlugins([{ name: 'model-allowlist', config: { allow: ['deepseek,*'] } }]);
    const router = createConduitRouter(config, { hooks: manager });
    const ask = (model: string) =>
      router.route(
        createContext({
          request: { model, max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] },
        }),
      );
    await expect(ask('claude-sonnet-4-5')).resolves.toMatchObject({ provider: 'deepseek' });
    await expect(ask('openai,gpt-5')).rejects.toThrow('"openai,gpt-5" is not allowed');
  });

  it.each([
    [{}, '"allow" must be a non-empty list'],
    [{ allow: ['anthropic'] }, '"anthropic" is not a "provider,model" pattern'],
    [{ allow: ['a,*'], fallback: 'b,c' }, '"fallback" b,c does not match any "allow" pattern'],
    [
      { allow: ['a,*'], onViolation: 'fallback' },
      '"onViolation": "fallback" needs a "fallback" route',
    ],
    [{ allow: ['a,*'], statusCode: 500 }, '"statusCode" must be 400 or 403'],
    [{ allow: ['a,*'], allowList: [] }, 'unknown setting "allowList"'],
  ])('refuses to load with %j', async (config, issue) => {
    const manager = new PluginManager();
    const report = await manager.loadPlugins([{ name: 'model-allowlist', config }]);
    expect(report.failed[0]?.stage).toBe('validate');
    expect(report.failed[0]?.issues).toContainEqual(expect.stringContaining(issue));
  });
});
