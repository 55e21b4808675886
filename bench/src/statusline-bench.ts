/**
 * `conduit statusline` latency, as Claude Code sees it: wall time of `node dist/cli.js statusline`
 * with Claude Code's JSON on stdin, against a running gateway (usage ledger on) and with the
 * gateway down, next to a bare `node -e 0` (the floor no Node CLI can beat on this machine).
 * Target: median ≤ 50 ms above the bare Node start.
 *
 *   pnpm --filter @conduit/cli build && pnpm --filter @conduit/bench statusline [-- --runs 30]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConduitServer } from '@conduit/server';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag === -1 ? 30 : Number(process.argv[runsFlag + 1]);
const cli = path.resolve(import.meta.dirname, '../../apps/cli/dist/cli.js');
const sessionId = '9868323c-aaeb-4a7c-ad65-cacc01855e12';
const claudeInput = JSON.stringify({
  session_id: sessionId,
  cwd: process.cwd(),
  model: { id: 'claude-opus-4-8[1m]', display_name: 'Opus 4.8 (1M context)' },
  workspace: { current_dir: process.cwd(), project_dir: process.cwd() },
  version: '2.1.197',
  cost: { total_cost_usd: 0, total_duration_ms: 3733 },
});

function timeOnce(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - started));
    child.stdin.end(input);
  });
}

async function median(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await timeOnce(args, env, input));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

const home = mkdtempSync(path.join(tmpdir(), 'conduit-statusline-bench-'));
// One fixed OpenAI-compatible answer (test-utils' entry point loads jest-only code).
const upstream = createServer((_request, response) => {
  _request.resume();
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 },
    }),
  );
});
await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
const upstreamAddress = upstream.address() as { port: number };
const upstreamEndpoint = `http://127.0.0.1:${upstreamAddress.port}/v1/chat/completions`;
const server = createConduitServer(
  {
    Providers: [{ name: 'mock', api_base_url: upstreamEndpoint, api_key: 'k', models: ['m'] }],
    Router: { default: 'mock,m' },
    usage: { storage: path.join(home, 'usage.db') },
  },
  { home, routerOverrides: false },
);
try {
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { user_id: JSON.stringify({ session_id: sessionId }) },
    }),
  });
  const env = { PATH: process.env.PATH, HOME: home, CONDUIT_HOME: home };
  const bare = await median(['-e', '0'], env);
  const up = await median([cli, 'statusline'], { ...env, ANTHROPIC_BASE_URL: url }, claudeInput);
  const down = await median(
    [cli, 'statusline'],
    { ...env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    claudeInput,
  );
  const row = (label: string, ms: number) =>
    `${label.padEnd(28)} ${ms.toFixed(1).padStart(7)} ms   (+${(ms - bare).toFixed(1)} ms over bare node)`;
  process.stdout.write(
    [
      `conduit statusline, median of ${runs} runs`,
      `${'bare node -e 0'.padEnd(28)} ${bare.toFixed(1).padStart(7)} ms`,
      row('gateway up (ledger query)', up),
      row('gateway down', down),
      '',
    ].join('\n'),
  );
} finally {
  await server.stop();
  await new Promise(resolve => upstream.close(resolve));
  rmSync(home, { recursive: true, force: true });
}
