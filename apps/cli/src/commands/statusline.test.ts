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

describe('conduit statusline (built CLI, Claude Code JSON on stdin)', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let baseURL: string;
  let configFile: string;
  const writeConfig = (extra: Record<string, unknown> = {}) =>
    writeFileSync(
      configFile,
      statuslineGatewayConfig({ baseURL, endpoint: upstream.endpoint, extra }),
    );
  const statusLine = (env: NodeJS.ProcessEnv = {}) =>
    sandbox.run(['statusline'], {
      input: claudeInput,
      env: { ANTHROPIC_AUTH_TOKEN: 'inbound-secret', ...env },
    });

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
    sandbox = createSandbox();
    baseURL = `http://127.0.0.1:${await findFreePort()}`;
    mkdirSync(sandbox.conduitHome, { recursive: true });
    configFile = path.join(sandbox.conduitHome, 'config.json');
    writeConfig();
    const start = await sandbox.run(['start', '--daemon']);
    expect(start.code).toBe(0);
    const client = new Anthropic({ baseURL, authToken: 'inbound-secret', apiKey: null });
    await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: {
        user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: sessionId }),
      },
    });
  });
  afterAll(async () => {
    await sandbox.dispose();
    await upstream.close();
  });

  it('prints provider/model, route, the session tokens and cost from the ledger', async () => {
    const result = await statusLine({ ANTHROPIC_BASE_URL: baseURL });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('mock/big · default · ↑21 ↓4 · $0.0250\n');
    // Without ANTHROPIC_BASE_URL the PID file names the gateway.
    expect((await statusLine()).stdout).toBe('mock/big · default · ↑21 ↓4 · $0.0250\n');
  });

  it('uses statusLine.format, and CCR StatusLine modules when enabled', async () => {
    writeConfig({ statusLine: { format: '[{{provider}}] {{model}} {{route}} {{requests}} req' } });
    expect((await statusLine()).stdout).toBe('[mock] mock/big default 1 req\n');
    writeConfig({
      StatusLine: {
        enabled: true,
        currentStyle: 'default',
        default: {
          modules: [
            { type: 'workDir', icon: 'D', text: '{{workDirName}}', color: 'bright_blue' },
            { type: 'gitBranch', icon: 'G', text: '{{gitBranch}}' },
            { type: 'model', text: '{{model}}' },
            { type: 'usage', text: '{{inputTokens}} → {{outputTokens}}' },
          ],
        },
      },
    });
    expect((await statusLine()).stdout).toBe('\x1b[94mD proj\x1b[0m  mock/big  21 → 4\n');
  });

  it('prints a plain line when the gateway is down', async () => {
    writeConfig();
    expect((await sandbox.run(['stop'])).code).toBe(0);
    const result = await statusLine({ ANTHROPIC_BASE_URL: baseURL });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('⚠ conduit not reachable · Opus 4.8 (1M context)\n');
    const empty = await sandbox.run(['statusline'], { input: 'not json' });
    expect(empty.stdout).toBe('⚠ conduit not reachable\n');
  });
});
