import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';

const projectSession = '11111111-2222-4333-8444-555555555555';
const longSession = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const otherSession = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';

/** CCR's routing rules that depend on the session, through `conduit start` (built CLI). */
describe('session routing: project/session Router overrides and the previous-turn long-context rule', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIProvider;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    sandbox = createSandbox();
    const port = await findFreePort();
    mkdirSync(sandbox.conduitHome, { recursive: true });
    writeFileSync(
      path.join(sandbox.conduitHome, 'config.json'),
      JSON.stringify({
        PORT: port,
        LOG: false,
        usage: { enabled: false },
        Providers: [
          {
            name: 'mock',
            api_base_url: upstream.endpoint,
            api_key: 'k',
            models: ['small', 'large', 'project'],
          },
        ],
        Router: { default: 'mock,small', longContext: 'mock,large', longContextThreshold: 60000 },
      }),
    );
    // Claude Code's transcript names the session's project; CCR's folder holds its Router.
    const transcripts = path.join(sandbox.home, '.claude', 'projects', '-work-app');
    mkdirSync(transcripts, { recursive: true });
    writeFileSync(path.join(transcripts, `${projectSession}.jsonl`), '{}\n');
    const projectFolder = path.join(sandbox.home, '.claude-code-router', '-work-app');
    mkdirSync(projectFolder, { recursive: true });
    writeFileSync(
      path.join(projectFolder, 'config.json'),
      JSON.stringify({ Router: { default: 'mock,project' } }),
    );
    expect((await sandbox.run(['start', '--daemon'])).code).toBe(0);
    client = new Anthropic({ baseURL: `http://127.0.0.1:${port}`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await sandbox.dispose();
    await upstream.close();
  });

  const ask = async (sessionId: string, content = 'hi') => {
    const response = await client.messages
      .create({
        model: 'claude-sonnet-4',
        max_tokens: 10,
        messages: [{ role: 'user', content }],
        metadata: {
          user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: sessionId }),
        },
      })
      .withResponse();
    return {
      upstreamModel: (upstream.requests.at(-1)?.json as { model?: string } | undefined)?.model,
      route: response.response.headers.get('x-conduit-route'),
    };
  };

  it("routes a session of a project with the project's Router (CCR §C.7)", async () => {
    expect(await ask(projectSession)).toMatchObject({ upstreamModel: 'project', route: 'default' });
    expect(await ask(otherSession)).toMatchObject({ upstreamModel: 'small', route: 'default' });
  });

  it('sends the next turn to longContext when the previous turn of the session was over the threshold', async () => {
    upstream.replyWith(
      { text: 'big', stop: 'end_turn', usage: { input: 70_000, output: 5 } },
      { stream: false },
    );
    expect((await ask(longSession)).upstreamModel).toBe('small');
    const followUp = 'lorem ipsum dolor sit amet '.repeat(5_000); // ~25k tokens
    expect(await ask(longSession, followUp)).toMatchObject({
      upstreamModel: 'large',
      route: 'longContext',
    });
    // The same follow-up in a session without a large previous turn stays on the default.
    expect((await ask(otherSession, followUp)).upstreamModel).toBe('small');
  });
});
