#!/usr/bin/env node
// Manual end-to-end check (not part of `pnpm test`: it needs the real Claude Code CLI):
// runs `claude -p` through a Conduit gateway in front of a scripted OpenAI-compatible upstream on
// 127.0.0.1, including a Bash tool round trip, and prints what each side saw.
//
//   npm install --prefix /tmp/cc @anthropic-ai/claude-code
//   pnpm build && node scripts/e2e-claude-code.mjs /tmp/cc/node_modules/.bin/claude
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

const claudePath = process.argv[2] ?? 'claude';
const repoRoot = path.resolve(import.meta.dirname, '..');
const cli = path.join(repoRoot, 'apps/cli/dist/cli.js');
const upstreamRequests = [];

function runProcess(command, args, options) {
  return new Promise(resolve => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += chunk));
    child.stderr.on('data', chunk => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120000);
    child.on('close', status => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function sse(response, chunks) {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const chunk of chunks) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  response.end('data: [DONE]\n\n');
}
const base = {
  id: 'chatcmpl-e2e',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'e2e-model',
};
const upstream = http.createServer((request, response) => {
  let body = '';
  request.on('data', chunk => (body += chunk));
  request.on('end', () => {
    const parsed = JSON.parse(body);
    upstreamRequests.push(parsed);
    const last = parsed.messages.at(-1);
    if (last.role === 'tool') {
      sse(response, [
        {
          ...base,
          choices: [{ index: 0, delta: { role: 'assistant', content: 'The command printed: ' } }],
        },
        { ...base, choices: [{ index: 0, delta: { content: String(last.content).trim() } }] },
        {
          ...base,
          choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1200, completion_tokens: 9 },
        },
      ]);
      return;
    }
    const args = JSON.stringify({ command: 'echo conduit-e2e-ok', description: 'Print a marker' });
    sse(response, [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Running it.' } }] },
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: {
              tool_calls: [
                {
                  index: 0,
                  id: 'call_e2e_1',
                  type: 'function',
                  function: { name: 'Bash', arguments: '' },
                },
              ],
            },
          },
        ],
      },
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: args.slice(0, 20) } }] },
          },
        ],
      },
      {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: args.slice(20) } }] },
          },
        ],
      },
      {
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
        usage: { prompt_tokens: 1100, completion_tokens: 20 },
      },
    ]);
  });
});
await new Promise(resolve => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = upstream.address().port;

const home = mkdtempSync(path.join(tmpdir(), 'conduit-e2e-home-'));
const conduitHome = path.join(home, '.conduit');
const ccrDirectory = path.join(home, '.claude-code-router');
spawnSync('mkdir', ['-p', ccrDirectory, conduitHome]);
// A plain claude-code-router config: Conduit must pick it up unchanged.
writeFileSync(
  path.join(ccrDirectory, 'config.json'),
  `{
  // CCR config, JSON5
  "PORT": 0,
  "Providers": [{ "name": "local", "api_base_url": "http://127.0.0.1:${upstreamPort}/v1/chat/completions", "api_key": "sk-local", "models": ["e2e-model"], }],
  "Router": { "default": "local,e2e-model" },
}`,
);
const gatewayPort = 20000 + Math.floor(Math.random() * 20000);
const env = { ...process.env, HOME: home, CONDUIT_HOME: conduitHome };
const gateway = spawn(process.execPath, [cli, 'start', '--port', String(gatewayPort)], {
  env,
  stdio: 'inherit',
});
const baseURL = `http://127.0.0.1:${gatewayPort}`;
for (let attempt = 0; attempt < 100; attempt++) {
  const ok = await fetch(`${baseURL}/health`).then(
    r => r.ok,
    () => false,
  );
  if (ok) break;
  await new Promise(resolve => setTimeout(resolve, 100));
}

// Async spawn: the scripted upstream lives in this process and must keep answering.
const claude = await runProcess(
  claudePath,
  [
    '-p',
    'Run `echo conduit-e2e-ok` with the Bash tool and tell me what it printed.',
    '--allowedTools',
    'Bash(echo:*)',
    '--output-format',
    'json',
  ],
  {
    cwd: home,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      ANTHROPIC_BASE_URL: baseURL,
      ANTHROPIC_AUTH_TOKEN: 'conduit',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
    },
  },
);
gateway.kill('SIGTERM');
upstream.close();
console.log('claude exit code:', claude.status);
console.log('claude stdout:', claude.stdout.trim().slice(0, 2000));
if (claude.stderr.trim()) console.log('claude stderr:', claude.stderr.trim().slice(0, 2000));
console.log('upstream requests:', upstreamRequests.length);
for (const request of upstreamRequests) {
  console.log(
    `  model=${request.model} messages=${request.messages.length} tools=${request.tools?.length ?? 0} last.role=${request.messages.at(-1).role}`,
  );
}
const toolResult = upstreamRequests.at(-1)?.messages.at(-1);
const passed =
  claude.status === 0 &&
  toolResult?.role === 'tool' &&
  String(toolResult.content).includes('conduit-e2e-ok');
console.log(passed ? 'E2E PASSED: tool round trip through Conduit' : 'E2E FAILED');
process.exit(passed ? 0 : 1);
