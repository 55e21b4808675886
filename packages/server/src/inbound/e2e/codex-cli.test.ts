import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type MockHTTPServer,
  type MockResponse,
  type RecordedRequest,
  type ScriptedAnswer,
  renderAnthropicAnswer,
  renderOpenAIAnswer,
  startMockAnthropicProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';

/**
 * A real OpenAI-speaking agent through Conduit: Codex CLI (`codex exec`, non-interactive) speaks
 * the Responses API to Conduit's `/v1/responses`; Conduit routes to a recording mock provider on
 * 127.0.0.1 that asks for a shell command (Codex's `exec_command` tool), Codex runs it and sends
 * the output back, and the mock answers with text. Nothing leaves loopback.
 *
 * Codex is installed by `node scripts/install-codex.mjs` (CI runs it) or found at
 * `CONDUIT_CODEX_BIN`; without it the test is skipped locally and fails under CI.
 */
const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
const codexBinary =
  process.env.CONDUIT_CODEX_BIN ?? path.join(repoRoot, '.cache/agents/node_modules/.bin/codex');
const codexAvailable = existsSync(codexBinary);
if (!codexAvailable && process.env.CI !== 'true') {
  console.warn(
    `Skipping the Codex CLI end-to-end test: ${codexBinary} is missing (run node scripts/install-codex.mjs).`,
  );
}
const describeWithCodex = codexAvailable || process.env.CI === 'true' ? describe : describe.skip;

const marker = 'conduit-tool-round-trip-ok';
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}

function runCodex(baseURL: string, prompt: string) {
  const home = temporaryDirectory('conduit-codex-home-');
  const work = temporaryDirectory('conduit-codex-work-');
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(resolve => {
    const child = spawn(
      codexBinary,
      [
        'exec',
        '--skip-git-repo-check',
        '--dangerously-bypass-approvals-and-sandbox',
        '-c',
        'model_provider="conduit"',
        '-c',
        'model="gpt-5-codex"',
        '-c',
        `model_providers.conduit={ name = "Conduit", base_url = "${baseURL}/v1", env_key = "CONDUIT_TEST_KEY", wire_api = "responses" }`,
        prompt,
      ],
      {
        cwd: work,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          CODEX_HOME: home,
          CONDUIT_TEST_KEY: 'codex-key',
          // Anything Codex tried to reach beyond loopback would go to a closed port and fail.
          HTTP_PROXY: 'http://127.0.0.1:9',
          HTTPS_PROXY: 'http://127.0.0.1:9',
          ALL_PROXY: 'http://127.0.0.1:9',
          NO_PROXY: '127.0.0.1,localhost',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    // A mock never hangs a test: a stuck agent is killed and the test fails on its output.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', error => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const toolCall: ScriptedAnswer = {
  text: 'Running it.',
  toolCalls: [{ id: 'call_shell_1', name: 'exec_command', input: { cmd: `echo ${marker}` } }],
  stop: 'tool_use',
  usage: { input: 50, output: 10 },
};
const finalAnswer: ScriptedAnswer = {
  text: 'The command printed the marker.',
  stop: 'end_turn',
  usage: { input: 80, output: 8 },
};

/** The command's output (`<marker>\n`, JSON-escaped) is in a request once Codex sent the tool result. */
function carriesCommandOutput(request: RecordedRequest): boolean {
  return request.rawBody.includes(`${marker}\\n`) && request.rawBody.includes('call_shell_1');
}

/** The mock asks for the command first; once the command's output is in the request, it answers. */
function scriptedAgentTurn(render: (answer: ScriptedAnswer, stream: boolean) => MockResponse) {
  return (request: RecordedRequest): MockResponse => {
    const stream = (request.json as { stream?: boolean } | undefined)?.stream === true;
    return render(carriesCommandOutput(request) ? finalAnswer : toolCall, stream);
  };
}

describeWithCodex('Codex CLI through the OpenAI Responses door', () => {
  it.each([
    ['an OpenAI-compatible provider', 'openai'],
    ['an Anthropic provider', 'anthropic'],
  ] as const)(
    'completes a shell tool round trip against %s',
    async (_label, kind) => {
      let upstream: MockHTTPServer & { endpoint: string };
      if (kind === 'openai') {
        const mock = await startMockOpenAIProvider();
        mock.setDefaultResponder(scriptedAgentTurn(renderOpenAIAnswer));
        upstream = mock;
      } else {
        const mock = await startMockAnthropicProvider();
        mock.setDefaultResponder(scriptedAgentTurn(renderAnthropicAnswer));
        upstream = mock;
      }
      const gateway = await startTestGateway(
        singleProviderConfig(
          {
            name: 'mock',
            api_base_url: upstream.endpoint,
            models: ['agent-model'],
            ...(kind === 'anthropic' ? { transformer: { use: ['Anthropic'] } } : {}),
          },
          { APIKEY: 'codex-key' },
        ),
      );
      try {
        const result = await runCodex(gateway.baseURL, 'Run the marker command and report.');
        // stderr is in the comparison so a failure shows what Codex said.
        expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
          code: 0,
          stdout: expect.stringContaining('The command printed the marker.'),
          stderr: expect.any(String),
        });
        // Codex ran the command and its output went back upstream as the tool result.
        expect(upstream.requests.filter(carriesCommandOutput)).toHaveLength(1);
        expect(upstream.requests[0]?.json).toMatchObject({ model: 'agent-model' });
      } finally {
        await gateway.close();
        await upstream.close();
      }
    },
    120_000,
  );
});
