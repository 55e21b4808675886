import { describe, expect, it } from '@jest/globals';
import type { RuleCondition } from '../types/routing.js';
import { createConduitRouter } from './conduit-router.js';
import { baseRequest, routerTestConfig } from './test-router-setup.js';

function routerWithRules(rules: unknown[]) {
  return createConduitRouter({
    ...routerTestConfig,
    Router: { default: 'deepseek,deepseek-chat', customRules: rules as never },
  });
}

const context = {
  request: {
    ...baseRequest(),
    model: 'claude-sonnet-4-5',
    messages: [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'answer' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Please enter PLAN mode' },
          { type: 'text', text: 'now' },
        ],
      },
    ],
  },
  tokenCount: 5000,
  sessionId: 'session-1',
  headers: { 'x-synapse-agent-type': 'reasoning' },
  metadata: {
    agentType: 'coding',
    priority: 3,
    flags: ['fast', 'cheap'],
    nested: { team: 'core' },
    beta: true,
  },
};

describe('custom rules', () => {
  it.each<[RuleCondition, boolean]>([
    [{ field: 'tokenCount', operator: 'gt', value: 4999 }, true],
    [{ field: 'tokenCount', operator: 'gt', value: 5000 }, false],
    [{ field: 'tokenCount', operator: 'gte', value: 5000 }, true],
    [{ field: 'tokenCount', operator: 'lt', value: 5001 }, true],
    [{ field: 'tokenCount', operator: 'lte', value: 4999 }, false],
    [{ field: 'tokenCount', operator: 'eq', value: 5000 }, true],
    [{ field: 'tokenCount', operator: 'neq', value: 5000 }, false],
    [{ field: 'model', operator: 'contains', value: 'sonnet' }, true],
    [{ field: 'model', operator: 'matches', value: '^claude-.*-4-5$' }, true],
    [{ field: 'model', operator: 'matches', value: '/^CLAUDE/i' }, true],
    [{ field: 'model', operator: 'matches', value: '^CLAUDE' }, false],
    [{ field: 'message', operator: 'contains', value: 'PLAN mode' }, true],
    [{ field: 'message', operator: 'contains', value: 'first question' }, false],
    [{ field: 'message', operator: 'matches', value: 'mode\\nnow' }, true],
    [{ field: 'sessionId', operator: 'eq', value: 'session-1' }, true],
    [{ field: 'metadata.agentType', operator: 'eq', value: 'coding' }, true],
    [{ field: 'metadata.agentType', operator: 'neq', value: 'coding' }, false],
    [{ field: 'metadata.missing', operator: 'neq', value: 'coding' }, true],
    [{ field: 'metadata.missing', operator: 'gt', value: 0 }, false],
    [{ field: 'metadata.priority', operator: 'gte', value: 3 }, true],
    [{ field: 'metadata.priority', operator: 'eq', value: '3' }, true],
    [{ field: 'metadata.flags', operator: 'contains', value: 'cheap' }, true],
    [{ field: 'metadata.nested.team', operator: 'eq', value: 'core' }, true],
    [{ field: 'metadata.beta', operator: 'eq', value: true }, true],
    [{ field: 'header.X-Synapse-Agent-Type', operator: 'eq', value: 'reasoning' }, true],
    [{ field: 'header.x-missing', operator: 'contains', value: 'a' }, false],
  ])('%j → %s', async (condition, matches) => {
    const router = routerWithRules([
      { name: 'r', route: 'ollama,qwen2.5-coder:latest', conditions: [condition] },
    ]);
    const decision = await router.route({ ...context, request: structuredClone(context.request) });
    expect(decision.reason).toBe(matches ? 'rule:r' : 'default');
  });

  it('evaluates the highest priority first, keeps config order on ties, and skips disabled rules', async () => {
    const always = (name: string, priority: number, enabled = true) => ({
      name,
      route: 'ollama,qwen2.5-coder:latest',
      priority,
      enabled,
      conditions: [{ field: 'tokenCount', operator: 'gt', value: 0 }],
    });
    const router = routerWithRules([
      always('low', 1),
      always('off', 100, false),
      always('high-a', 10),
      always('high-b', 10),
    ]);
    expect((await router.route({ ...context })).reason).toBe('rule:high-a');
    const explanation = await router.explain({ ...context });
    expect(
      explanation.steps.slice(1, 5).map(step => [step.rule, step.fired, step.detail.split(',')[0]]),
    ).toEqual([
      ['rule:off', false, 'disabled'],
      ['rule:high-a', true, 'priority 10'],
      ['rule:high-b', false, 'not evaluated: rule:high-a fired first'],
      ['rule:low', false, 'not evaluated: rule:high-a fired first'],
    ]);
  });

  it('match "all" needs every condition, "any" one of them; no conditions always match', async () => {
    const conditions = [
      { field: 'tokenCount', operator: 'gt', value: 1 },
      { field: 'model', operator: 'eq', value: 'other' },
    ];
    const all = routerWithRules([
      { name: 'all', route: 'ollama,qwen2.5-coder:latest', conditions },
    ]);
    const any = routerWithRules([
      { name: 'any', route: 'ollama,qwen2.5-coder:latest', conditions, match: 'any' },
    ]);
    const none = routerWithRules([
      { name: 'none', route: 'ollama,qwen2.5-coder:latest', conditions: [] },
    ]);
    expect((await all.route({ ...context })).reason).toBe('default');
    expect((await any.route({ ...context })).reason).toBe('rule:any');
    expect((await none.route({ ...context })).reason).toBe('rule:none');
  });

  it('sees the token count the router computed', async () => {
    const router = routerWithRules([
      {
        name: 'small',
        route: 'ollama,qwen2.5-coder:latest',
        conditions: [{ field: 'tokenCount', operator: 'lt', value: 10 }],
      },
    ]);
    const decision = await router.route({ request: baseRequest() });
    expect(decision).toMatchObject({ reason: 'rule:small', tokenCount: 1, provider: 'ollama' });
  });
});
