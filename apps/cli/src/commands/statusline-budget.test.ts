import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';
import { type MockOpenAIServer, startMockOpenAIServer } from '../../test/mock-openai-server.js';
import {
  claudeStatuslineInput,
  claudeStatuslineSessionId,
  statuslineGatewayConfig,
} from '../../test/statusline-fixture.js';

const claudeInput = claudeStatuslineInput;
const sessionId = claudeStatuslineSessionId;

describe('conduit statusline warns when a Synapse budget is reached (built CLI, running gateway)', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let baseURL: string;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
    sandbox = createSandbox();
    baseURL = `http://127.0.0.1:${await findFreePort()}`;
    mkdirSync(sandbox.conduitHome, { recursive: true });
    writeFileSync(
      path.join(sandbox.conduitHome, 'config.json'),
      statuslineGatewayConfig({
        baseURL,
        endpoint: upstream.endpoint,
        models: ['big', 'small'],
        extra: {
          usage: {
            pricing: {
              'mock,big': { input: 1000, output: 1000 },
              'mock,small': { input: 0, output: 0 },
            },
          },
          synapse: {
            budgets: { project: { monthly: 0.01 } },
            budgetAction: 'downgrade',
            downgradeRoute: 'mock,small',
          },
        },
      }),
    );
    expect((await sandbox.run(['start', '--daemon'])).code).toBe(0);
    client = new Anthropic({ baseURL, authToken: 'inbound-secret', apiKey: null, maxRetries: 0 });
  });
  afterAll(async () => {
    await sandbox.dispose();
    await upstream.close();
  });

  const ask = () =>
    client.messages.create(
      {
        model: 'claude-opus-4-8',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
        metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: sessionId }) },
      },
      { headers: { 'x-synapse-project-id': 'web' } },
    );
  const statusLine = () =>
    sandbox.run(['statusline'], {
      input: claudeInput,
      env: { ANTHROPIC_BASE_URL: baseURL, ANTHROPIC_AUTH_TOKEN: 'inbound-secret' },
    });

  it('shows ⚠ with the budget once it is spent, and the downgrade once the session is downgraded', async () => {
    await ask();
    // $0.025 of the $0.01 monthly budget: the first request was still within it (it was served by
    // mock,big), but the budget is now spent, so the line warns before the next request.
    expect((await statusLine()).stdout).toBe(
      'mock/big · default · ↑21 ↓4 · $0.0250 · ⚠ budget 250%: project web monthly $0.0250/$0.0100\n',
    );

    await ask();
    const result = await statusLine();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'mock/small · budget-downgrade · ↑42 ↓8 · $0.0250 · ⚠ budget 250%: project web monthly $0.0250/$0.0100 (downgraded)\n',
    );
  });
});
