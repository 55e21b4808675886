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
const nearSession = claudeStatuslineSessionId;
/** The same Claude Code input for a second session (one whose budget has room left). */
const roomySession = 'a1b2c3d4-0000-4000-8000-roomy0session';
const roomyInput = claudeInput.replace(nearSession, roomySession);

describe('conduit statusline marks budgets near their limit (built CLI, running gateway)', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let baseURL: string;
  let configFile: string;
  let client: Anthropic;
  const writeConfig = (statusLine: Record<string, unknown> = {}) =>
    writeFileSync(
      configFile,
      // One request costs $0.025 (statuslineGatewayConfig's pricing).
      statuslineGatewayConfig({
        baseURL,
        endpoint: upstream.endpoint,
        extra: {
          // Synapse: project web may spend $0.03 a day (83% after one request), project roomy $1.
          synapse: {
            budgets: { project: { daily: 0.03 }, projects: { roomy: { daily: 1 } } },
            budgetAction: 'reject',
          },
          // Fleet: agent coder may spend $0.029 a day (86% after one request).
          fleet: { limits: { agents: { coder: { budgetDaily: 0.029 } } } },
          statusLine,
        },
      }),
    );

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
    sandbox = createSandbox();
    baseURL = `http://127.0.0.1:${await findFreePort()}`;
    mkdirSync(sandbox.conduitHome, { recursive: true });
    configFile = path.join(sandbox.conduitHome, 'config.json');
    writeConfig();
    expect((await sandbox.run(['start', '--daemon'])).code).toBe(0);
    client = new Anthropic({ baseURL, authToken: 'inbound-secret', apiKey: null, maxRetries: 0 });
  });
  afterAll(async () => {
    await sandbox.dispose();
    await upstream.close();
  });

  const ask = (sessionId: string, headers: Record<string, string>) =>
    client.messages.create(
      {
        model: 'claude-opus-4-8',
        max_tokens: 20,
        messages: [{ role: 'user', content: 'hi' }],
        metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: sessionId }) },
      },
      { headers },
    );
  const statusLine = (input: string) =>
    sandbox.run(['statusline'], {
      input,
      env: { ANTHROPIC_BASE_URL: baseURL, ANTHROPIC_AUTH_TOKEN: 'inbound-secret' },
    });

  it('shows ⚠ with the budgets at or above 80%, fullest first, and no mark below', async () => {
    await ask(nearSession, { 'x-synapse-project-id': 'web', 'x-synapse-agent-id': 'coder' });
    await ask(roomySession, { 'x-synapse-project-id': 'roomy' });

    const near = await statusLine(claudeInput);
    expect(near).toMatchObject({ code: 0, stderr: '' });
    expect(near.stdout).toBe(
      'mock/big · default · ↑21 ↓4 · $0.0250 · ⚠ budget 86%: agent coder daily $0.0250/$0.0290; budget 83%: project web daily $0.0250/$0.0300\n',
    );
    // 2.5% of project roomy's budget: no mark.
    expect((await statusLine(roomyInput)).stdout).toBe('mock/big · default · ↑21 ↓4 · $0.0250\n');
  });

  it('takes its threshold from statusLine.budgetWarningPercent', async () => {
    writeConfig({ budgetWarningPercent: 85 });
    expect((await statusLine(claudeInput)).stdout).toBe(
      'mock/big · default · ↑21 ↓4 · $0.0250 · ⚠ budget 86%: agent coder daily $0.0250/$0.0290\n',
    );
    writeConfig({ budgetWarningPercent: 90 });
    expect((await statusLine(claudeInput)).stdout).toBe('mock/big · default · ↑21 ↓4 · $0.0250\n');
  });

  it('prints the plain line when the gateway is down', async () => {
    expect((await sandbox.run(['stop'])).code).toBe(0);
    const result = await statusLine(claudeInput);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('⚠ conduit not reachable · Opus 4.8 (1M context)\n');
  });
});
