import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';
import type { SessionInfo } from './sessions.js';

const sessionId = '7d1e6a52-3b2c-4f1e-9a8b-0c1d2e3f4a5b';
const metadata = {
  user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: sessionId }),
};

describe('session memory: GET /api/sessions/:id and the previous-turn long-context trigger', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let home: string;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    home = mkdtempSync(join(tmpdir(), 'conduit-sessions-'));
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'mock',
        api_base_url: upstream.endpoint,
        models: ['small', 'large'],
      }),
      { home, routerOverrides: false },
    );
    await gateway.server.updateConfig({ Router: { longContext: 'mock,large' } });
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(home, { recursive: true, force: true });
  });

  const sessionInfo = async (id = sessionId): Promise<SessionInfo> =>
    (await fetch(`${gateway.baseURL}/api/sessions/${id}`)).json() as Promise<SessionInfo>;

  it('routes the next turn of a session whose last turn was over the threshold to longContext', async () => {
    expect(await sessionInfo()).toMatchObject({ last: null, requests: 0 });
    upstream.replyWith(
      { text: 'first', stop: 'end_turn', usage: { input: 65_000, output: 12 } },
      { stream: false },
    );
    const small = { model: 'claude-sonnet-4', max_tokens: 10, metadata };
    await client.messages.create({ ...small, messages: [{ role: 'user', content: 'hi' }] });
    const afterFirst = await sessionInfo();
    expect(afterFirst).toMatchObject({
      last: { provider: 'mock', model: 'small', route: 'default' },
      requests: 1,
      inputTokens: 65_000,
      outputTokens: 12,
      warnings: [],
    });

    // ~25k tokens: above CCR's 20000 floor, below the 60000 threshold on its own.
    const followUp = 'lorem ipsum dolor sit amet '.repeat(5_000);
    upstream.replyWith(
      { text: 'second', stop: 'end_turn', usage: { input: 30_000, output: 3 } },
      { stream: false },
    );
    await client.messages.create({ ...small, messages: [{ role: 'user', content: followUp }] });
    const upstreamModels = upstream.requests.map(
      request => (request.json as { model: string }).model,
    );
    expect(upstreamModels.slice(-2)).toEqual(['small', 'large']);
    expect(await sessionInfo()).toMatchObject({
      last: { model: 'large', route: 'longContext' },
      requests: 2,
      inputTokens: 95_000,
      outputTokens: 15,
    });

    // Another session with the same follow-up is not affected.
    const otherMetadata = {
      user_id: JSON.stringify({ device_id: 'd', session_id: 'other-session' }),
    };
    await client.messages.create({
      ...small,
      metadata: otherMetadata,
      messages: [{ role: 'user', content: followUp }],
    });
    expect((upstream.requests.at(-1)?.json as { model?: string } | undefined)?.model).toBe('small');
  });

  it("warns while the session's last request was refused with a 429, until one gets through", async () => {
    const refusedSession = 'c0ffee00-1111-4222-8333-944445555666';
    const refusedMetadata = {
      user_id: JSON.stringify({ device_id: 'd', session_id: refusedSession }),
    };
    const tooMany = {
      type: 'json' as const,
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { message: 'slow down', type: 'rate_limit_error' } },
    };
    upstream.enqueue(tooMany, tooMany, tooMany, tooMany);
    const request = {
      model: 'claude-sonnet-4',
      max_tokens: 10,
      metadata: refusedMetadata,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };
    await expect(client.messages.create(request)).rejects.toMatchObject({ status: 429 });
    const refused = await sessionInfo(refusedSession);
    expect(refused).toMatchObject({ refused: { status: 429 }, budgets: [] });
    expect(refused.warnings).toContain('last request refused (429: budget or rate limit)');

    upstream.reset();
    await client.messages.create(request);
    expect(await sessionInfo(refusedSession)).toMatchObject({ refused: null, warnings: [] });
  });

  it('answers 400 for an id that is not a session id, and 0 totals for an unknown one', async () => {
    const bad = await fetch(`${gateway.baseURL}/api/sessions/${encodeURIComponent('a b')}`);
    expect(bad.status).toBe(400);
    expect(await sessionInfo('never-seen')).toMatchObject({ requests: 0, last: null });
  });
});

describe('GET /api/sessions/:id budgetUse (extensions that know budgets)', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let home: string;
  const asked: string[] = [];
  const projectBudget = {
    scope: 'project',
    id: 'web',
    period: 'daily' as const,
    spentUsd: 4.25,
    limitUsd: 5,
    fraction: 0.85,
    source: 'synapse',
  };

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    home = mkdtempSync(join(tmpdir(), 'conduit-session-budgets-'));
    gateway = await startTestGateway(
      singleProviderConfig({ name: 'mock', api_base_url: upstream.endpoint, models: ['small'] }),
      {
        home,
        routerOverrides: false,
        extensions: [
          {
            name: 'budgets',
            sessionBudgets: async id => {
              asked.push(id);
              return id === sessionId ? [projectBudget] : [];
            },
          },
          { name: 'never-answers', sessionBudgets: () => new Promise(() => undefined) },
          {
            name: 'broken',
            sessionBudgets: async () => {
              throw new Error('ledger down');
            },
          },
        ],
      },
    );
  });

  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("lists each extension's budgets for the session; a silent or failing one adds none", async () => {
    const info = (await (
      await fetch(`${gateway.baseURL}/api/sessions/${sessionId}`)
    ).json()) as SessionInfo;
    expect(info.budgetUse).toEqual([projectBudget]);
    // Near a limit is not a warning of the gateway's own: the status line decides (its threshold).
    expect(info.warnings).toEqual([]);
    const other = (await (
      await fetch(`${gateway.baseURL}/api/sessions/another-session`)
    ).json()) as SessionInfo;
    expect(other.budgetUse).toEqual([]);
    expect(asked).toEqual([sessionId, 'another-session']);
  });
});
