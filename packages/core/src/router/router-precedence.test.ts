import { describe, expect, it } from '@jest/globals';
import type { RoutingContext } from '../types/routing.js';
import { createConduitRouter } from './conduit-router.js';
import {
  baseRequest,
  createTestHooks,
  type LooseRequest,
  routerTestConfig,
} from './test-router-setup.js';

type Feature = {
  name: string;
  apply: (context: RoutingContext & { request: LooseRequest }) => void;
  expected: {
    provider: string;
    model: string;
    reason: string;
    scenario: string;
    confidence: number;
  };
};

// In precedence order, highest first.
const features: Feature[] = [
  {
    name: 'plugin',
    apply: context => {
      context.metadata = { ...context.metadata, usePlugin: true };
    },
    expected: {
      provider: 'openrouter',
      model: 'anthropic/claude-sonnet-4',
      reason: 'plugin:test-plugin',
      scenario: 'default',
      confidence: 1,
    },
  },
  {
    name: 'rule',
    apply: context => {
      context.metadata = { ...context.metadata, agentType: 'coding' };
    },
    expected: {
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      reason: 'rule:coding-agents',
      scenario: 'default',
      confidence: 1,
    },
  },
  {
    name: 'explicit',
    apply: context => {
      context.request.model = 'ANTHROPIC,Claude-3-5-Haiku-20241022';
    },
    expected: {
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      reason: 'explicit',
      scenario: 'default',
      confidence: 1,
    },
  },
  {
    name: 'longContext',
    apply: context => {
      context.tokenCount = 60001;
    },
    expected: {
      provider: 'openrouter',
      model: 'google/gemini-2.5-pro',
      reason: 'longContext',
      scenario: 'longContext',
      confidence: 0.9,
    },
  },
  {
    name: 'subagent',
    apply: context => {
      context.request.system = [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1' },
        {
          type: 'text',
          text: '<CCR-SUBAGENT-MODEL>openrouter,moonshotai/kimi-k2</CCR-SUBAGENT-MODEL>You are a helper.',
        },
      ];
    },
    expected: {
      provider: 'openrouter',
      model: 'moonshotai/kimi-k2',
      reason: 'subagent',
      scenario: 'default',
      confidence: 1,
    },
  },
  {
    name: 'background',
    apply: context => {
      if (!context.request.model.includes(',')) context.request.model = 'claude-3-5-haiku-20241022';
    },
    expected: {
      provider: 'ollama',
      model: 'qwen2.5-coder:latest',
      reason: 'background',
      scenario: 'background',
      confidence: 0.9,
    },
  },
  {
    name: 'webSearch',
    apply: context => {
      context.request.tools = [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }];
    },
    expected: {
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      reason: 'webSearch',
      scenario: 'webSearch',
      confidence: 0.9,
    },
  },
  {
    name: 'think',
    apply: context => {
      context.request.thinking = { type: 'enabled', budget_tokens: 1024 };
    },
    expected: {
      provider: 'deepseek',
      model: 'deepseek-reasoner',
      reason: 'think',
      scenario: 'think',
      confidence: 0.9,
    },
  },
  {
    name: 'image',
    apply: context => {
      context.request.messages = [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
            },
            { type: 'text', text: 'what is this?' },
          ],
        },
      ];
    },
    expected: {
      provider: 'gemini',
      model: 'gemini-2.5-pro',
      reason: 'image',
      scenario: 'image',
      confidence: 0.9,
    },
  },
];

async function routeWith(...selected: Feature[]) {
  const router = createConduitRouter(routerTestConfig, { hooks: createTestHooks() });
  const context: RoutingContext & { request: LooseRequest } = { request: baseRequest() };
  // Apply lower-precedence features first so a higher one (e.g. explicit model) has the last word.
  for (const feature of [...selected].reverse()) feature.apply(context);
  return router.route(context);
}

describe('routing rules', () => {
  it('routes a plain request to Router.default with confidence 0.5', async () => {
    expect(await routeWith()).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'default',
      scenario: 'default',
      confidence: 0.5,
    });
  });

  it.each(features.map(feature => [feature.name, feature] as const))(
    '%s fires on its own',
    async (_name, feature) => {
      expect(await routeWith(feature)).toMatchObject(feature.expected);
    },
  );

  const pairs = features.flatMap((higher, index) =>
    features
      .slice(index + 1)
      .map(lower => [`${higher.name} beats ${lower.name}`, higher, lower] as const),
  );

  it.each(pairs)('%s', async (_name, higher, lower) => {
    expect(await routeWith(higher, lower)).toMatchObject(higher.expected);
  });

  it('with every feature present, the plugin wins; removing each winner in turn yields the next', async () => {
    for (let index = 0; index < features.length; index++) {
      const remaining = features.slice(index);
      expect(await routeWith(...remaining)).toMatchObject(features[index]!.expected);
    }
  });
});
