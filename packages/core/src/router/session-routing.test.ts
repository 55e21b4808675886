import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { TokenCounter } from '../token-counter/token-counter.js';
import { createConduitRouter } from './conduit-router.js';
import { createProjectRouterLookup } from './project-router-overrides.js';
import { SessionMemory } from './session-memory.js';
import { routerTestConfig } from './test-router-setup.js';

const sessionId = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

function fixedCounter(count: number): TokenCounter {
  return { countRequest: () => count, warmUp: () => {} } as unknown as TokenCounter;
}

function request(model = 'claude-sonnet-4', extra: Record<string, unknown> = {}) {
  return {
    model,
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: 'hi' }],
    metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: sessionId }) },
    ...extra,
  };
}

function turn(contextTokens: number) {
  return {
    provider: 'deepseek',
    model: 'deepseek-chat',
    reason: 'default',
    contextTokens,
    inputTokens: contextTokens,
    outputTokens: 10,
    at: 0,
  };
}

describe("CCR's previous-turn long-context trigger", () => {
  it.each([
    ['previous turn over the threshold and this one over 20000', 70_000, 25_000, 'longContext'],
    ['previous turn over the threshold but this one small', 70_000, 15_000, 'default'],
    ['previous turn under the threshold', 50_000, 25_000, 'default'],
  ])('%s', async (_name, previous, current, reason) => {
    const memory = new SessionMemory();
    memory.recordTurn(sessionId, turn(previous));
    const router = createConduitRouter(routerTestConfig, {
      tokenCounter: fixedCounter(current),
      sessionUsage: memory,
    });
    const decision = await router.route({ request: request() });
    expect(decision.reason).toBe(reason);
  });

  it('is per session: another session is not affected', async () => {
    const memory = new SessionMemory();
    memory.recordTurn('another-session', turn(90_000));
    const router = createConduitRouter(routerTestConfig, {
      tokenCounter: fixedCounter(25_000),
      sessionUsage: memory,
    });
    expect((await router.route({ request: request() })).reason).toBe('default');
    const explained = await router.explain({ request: request() });
    expect(explained.steps.find(step => step.rule === 'longContext')?.detail).toBe(
      'tokenCount 25000 <= threshold 60000',
    );
  });

  it('keeps running totals and the last route per session', () => {
    const memory = new SessionMemory({ maxSessions: 2 });
    memory.recordTurn(sessionId, turn(100));
    memory.recordTurn(sessionId, { ...turn(300), provider: 'openrouter', reason: 'think' });
    expect(memory.get(sessionId)).toMatchObject({
      requests: 2,
      inputTokens: 400,
      outputTokens: 20,
      last: { provider: 'openrouter', reason: 'think' },
    });
  });
});

describe('project and session Router overrides (CCR §C.7)', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function setUp(files: Record<string, unknown>) {
    root = mkdtempSync(join(tmpdir(), 'conduit-overrides-'));
    const projects = join(root, 'claude', 'projects');
    mkdirSync(join(projects, '-work-app'), { recursive: true });
    writeFileSync(join(projects, '-work-app', `${sessionId}.jsonl`), '{}\n');
    for (const [relative, content] of Object.entries(files)) {
      const path = join(root, relative);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    }
    return createProjectRouterLookup({
      claudeProjectsDirectory: projects,
      overrideDirectories: [join(root, 'conduit', 'projects'), join(root, 'ccr')],
      cacheTtlMs: 0,
    });
  }

  it("routes default, think and longContext with the project's Router; background stays global", async () => {
    const lookup = setUp({
      'ccr/-work-app/config.json': {
        Router: { default: 'anthropic,claude-sonnet-4', think: 'openrouter,moonshotai/kimi-k2' },
      },
    });
    const router = createConduitRouter(routerTestConfig, {
      tokenCounter: fixedCounter(10),
      routerOverrides: lookup,
    });
    const plain = await router.route({ request: request() });
    expect(plain).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      reason: 'default',
    });
    expect(plain.metadata.routerOverride).toBe(join(root, 'ccr/-work-app/config.json'));
    const thinking = await router.route({
      request: request('claude-sonnet-4', { thinking: { type: 'enabled', budget_tokens: 1024 } }),
    });
    expect(thinking).toMatchObject({ provider: 'openrouter', model: 'moonshotai/kimi-k2' });
    const background = await router.route({ request: request('claude-3-5-haiku-20241022') });
    expect(background).toMatchObject({ provider: 'ollama', reason: 'background' });
  });

  it("a session file beats the project's config, and Conduit's folder beats CCR's", async () => {
    const lookup = setUp({
      'ccr/-work-app/config.json': { Router: { default: 'anthropic,claude-sonnet-4' } },
      [`ccr/-work-app/${sessionId}.json`]: { Router: { default: 'gemini,gemini-2.5-pro' } },
      'conduit/projects/-work-app/config.json': {
        Router: { default: 'deepseek,deepseek-reasoner' },
      },
    });
    const router = createConduitRouter(routerTestConfig, { routerOverrides: lookup });
    expect(await router.route({ request: request() })).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.5-pro',
    });
  });

  it('ignores an unreadable override and names the file when a route is unknown', async () => {
    const broken = setUp({ 'ccr/-work-app/config.json': '{ not json' });
    const router = createConduitRouter(routerTestConfig, { routerOverrides: broken });
    expect((await router.route({ request: request() })).provider).toBe('deepseek');
    rmSync(root, { recursive: true, force: true });

    const unknown = setUp({ 'ccr/-work-app/config.json': { Router: { default: 'nope,model' } } });
    const strict = createConduitRouter(routerTestConfig, { routerOverrides: unknown });
    await expect(strict.route({ request: request() })).rejects.toThrow(
      join(root, 'ccr/-work-app/config.json'),
    );
  });

  it('does nothing for requests without a session or a session id that is not a plain id', async () => {
    const lookup = setUp({
      'ccr/-work-app/config.json': { Router: { default: 'anthropic,claude-sonnet-4' } },
    });
    expect(await lookup.find('../../etc/passwd')).toBeUndefined();
    const router = createConduitRouter(routerTestConfig, { routerOverrides: lookup });
    const { metadata: _ignored, ...withoutSession } = request();
    expect((await router.route({ request: withoutSession })).provider).toBe('deepseek');
  });
});
