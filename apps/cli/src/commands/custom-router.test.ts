/**
 * A claude-code-router user's setup works unchanged through `conduit start`: the config sits in
 * `~/.claude-code-router/config.json` (Conduit's CCR fallback), and its `CUSTOM_ROUTER_PATH` is the
 * custom router from CCR's README, verbatim. Requests go through the official Anthropic SDK.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';

/** The custom router of claude-code-router's README ("Custom Router"), character for character. */
const readmeCustomRouter = `module.exports = async function router(req, config) {
  const userMessage = req.body.messages.find((m) => m.role === "user")?.content;
  if (userMessage && userMessage.includes("explain this code")) {
    return "openrouter,anthropic/claude-3.5-sonnet";
  }
  return null;
};
`;

const secrets = {
  APIKEY: 'ccr-inbound-key',
  OPENROUTER_API_KEY: 'sk-or-upstream-secret',
  DEEPSEEK_API_KEY: 'sk-ds-upstream-secret',
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('a CCR custom router (README example) through conduit start', () => {
  let openrouter: MockOpenAIProvider;
  let deepseek: MockOpenAIProvider;
  let sandbox: Sandbox;
  let port: number;

  beforeAll(async () => {
    openrouter = await startMockOpenAIProvider();
    deepseek = await startMockOpenAIProvider();
  });
  afterAll(async () => {
    await openrouter.close();
    await deepseek.close();
  });
  beforeEach(async () => {
    openrouter.reset();
    deepseek.reset();
    sandbox = createSandbox();
    port = await findFreePort();
    const routerPath = path.join(sandbox.root, 'custom-router.js');
    writeFileSync(routerPath, readmeCustomRouter);
    const ccrHome = path.join(sandbox.home, '.claude-code-router');
    mkdirSync(ccrHome, { recursive: true });
    // A CCR config as CCR's README writes it: upper-case keys, $VAR keys, provider transformers.
    writeFileSync(
      path.join(ccrHome, 'config.json'),
      JSON.stringify(
        {
          LOG: false,
          HOST: '127.0.0.1',
          PORT: port,
          APIKEY: '$CCR_APIKEY',
          API_TIMEOUT_MS: 600000,
          CUSTOM_ROUTER_PATH: routerPath,
          Providers: [
            {
              name: 'openrouter',
              api_base_url: openrouter.endpoint,
              // biome-ignore lint/suspicious/noTemplateCurlyInString: CCR's literal ${VAR} interpolation
              api_key: '${OPENROUTER_API_KEY}',
              models: ['anthropic/claude-3.5-sonnet'],
              transformer: { use: ['openrouter'] },
            },
            {
              name: 'deepseek',
              api_base_url: deepseek.endpoint,
              api_key: '$DEEPSEEK_API_KEY',
              models: ['deepseek-chat'],
              transformer: { use: ['deepseek'] },
            },
          ],
          Router: { default: 'deepseek,deepseek-chat' },
        },
        null,
        2,
      ),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('routes "explain this code" to openrouter via the router and the rest to Router.default', async () => {
    const env = {
      CCR_APIKEY: secrets.APIKEY,
      OPENROUTER_API_KEY: secrets.OPENROUTER_API_KEY,
      DEEPSEEK_API_KEY: secrets.DEEPSEEK_API_KEY,
    };
    // no --config and no --port: the CCR config's location and PORT are used as they are
    const start = await sandbox.run(['start', '--daemon'], { env });
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`http://127.0.0.1:${port}`);
    const pidFile = path.join(sandbox.conduitHome, 'conduit.pid');
    const pid = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    expect(isAlive(pid)).toBe(true);

    const client = new Anthropic({
      baseURL: `http://127.0.0.1:${port}`,
      apiKey: secrets.APIKEY,
      maxRetries: 0,
    });

    const explained = await client.messages
      .create({
        model: 'claude-opus-4-8',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'please explain this code: x = 1' }],
      })
      .withResponse();
    expect(explained.response.headers.get('x-conduit-route')).toBe('custom-router');
    expect(explained.response.headers.get('x-conduit-provider')).toBe('openrouter');
    expect(explained.data.content).toEqual([{ type: 'text', text: 'Hello from the mock.' }]);
    expect(openrouter.requests).toHaveLength(1);
    expect(deepseek.requests).toHaveLength(0);
    const routed = openrouter.requests[0]!;
    expect(routed.path).toBe('/v1/chat/completions');
    expect(routed.headers.authorization).toBe(`Bearer ${secrets.OPENROUTER_API_KEY}`);
    expect(routed.json).toMatchObject({
      model: 'anthropic/claude-3.5-sonnet',
      messages: [{ role: 'user', content: 'please explain this code: x = 1' }],
    });

    const greeted = await client.messages
      .create({
        model: 'claude-opus-4-8',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hello' }],
      })
      .withResponse();
    expect(greeted.response.headers.get('x-conduit-route')).toBe('default');
    expect(greeted.response.headers.get('x-conduit-provider')).toBe('deepseek');
    expect(greeted.data.content).toEqual([{ type: 'text', text: 'Hello from the mock.' }]);
    expect(openrouter.requests).toHaveLength(1);
    expect(deepseek.requests).toHaveLength(1);
    expect(deepseek.requests[0]!.headers.authorization).toBe(`Bearer ${secrets.DEEPSEEK_API_KEY}`);
    expect(deepseek.requests[0]!.json).toMatchObject({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'hello' }],
    });

    const stop = await sandbox.run(['stop']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`Conduit stopped (PID ${pid})\n`);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(pidFile)).toBe(false);

    const log = readFileSync(path.join(sandbox.conduitHome, 'logs', 'conduit.log'), 'utf8');
    for (const secret of Object.values(secrets)) expect(log).not.toContain(secret);
  });
});
