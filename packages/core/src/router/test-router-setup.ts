/** Shared config and helpers for the router tests. */
import type { ConduitConfigInput } from '../config/config-schema.js';
import type { CustomRouteResult, RoutingHooks } from '../types/conduit-plugin.js';
import type { RoutingContext, RoutingDecision } from '../types/routing.js';

export const routerTestConfig: ConduitConfigInput = {
  Providers: [
    {
      name: 'anthropic',
      api_base_url: 'https://api.anthropic.com/v1/messages',
      api_key: 'sk-a',
      models: ['claude-sonnet-4', 'claude-3-5-haiku-20241022'],
    },
    {
      name: 'deepseek',
      api_base_url: 'https://api.deepseek.com/chat/completions',
      api_key: 'sk-d',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
    {
      name: 'ollama',
      api_base_url: 'http://localhost:11434/v1/chat/completions',
      api_key: 'ollama',
      models: ['qwen2.5-coder:latest'],
    },
    {
      name: 'gemini',
      api_base_url: 'https://generativelanguage.googleapis.com/v1beta/models/',
      api_key: 'g',
      models: ['gemini-2.5-flash', 'gemini-2.5-pro'],
    },
    {
      name: 'openrouter',
      api_base_url: 'https://openrouter.ai/api/v1/chat/completions',
      api_key: 'o',
      models: ['google/gemini-2.5-pro', 'moonshotai/kimi-k2', 'anthropic/claude-sonnet-4'],
    },
  ],
  Router: {
    default: 'deepseek,deepseek-chat',
    background: 'ollama,qwen2.5-coder:latest',
    think: 'deepseek,deepseek-reasoner',
    longContext: 'openrouter,google/gemini-2.5-pro',
    webSearch: 'gemini,gemini-2.5-flash',
    image: 'gemini,gemini-2.5-pro',
    customRules: [
      {
        name: 'coding-agents',
        route: 'anthropic,claude-sonnet-4',
        conditions: [{ field: 'metadata.agentType', operator: 'eq', value: 'coding' }],
      },
    ],
  },
  fallback: {
    default: ['openrouter,anthropic/claude-sonnet-4'],
    think: ['openrouter,moonshotai/kimi-k2'],
    background: ['deepseek,deepseek-chat'],
  },
};

/** Tests build deliberately loose (sometimes malformed) requests. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type LooseRequest = any;

/** A fresh small Claude-Code-like request. */
export function baseRequest(): LooseRequest {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 1000,
    messages: [{ role: 'user', content: 'hi' }],
  };
}

/** Plugin hooks that answer `customRoute` only when `metadata.usePlugin` is set, and record calls. */
export function createTestHooks(
  answer: string | CustomRouteResult = 'openrouter,anthropic/claude-sonnet-4',
): RoutingHooks & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async beforeRouting(context: RoutingContext) {
      calls.push('beforeRouting');
      return context;
    },
    async customRoute(context: RoutingContext) {
      calls.push('customRoute');
      return context.metadata?.usePlugin ? { pluginName: 'test-plugin', result: answer } : null;
    },
    async afterRouting(decision: RoutingDecision) {
      calls.push('afterRouting');
      return decision;
    },
  };
}
