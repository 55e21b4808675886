/**
 * Issue 19's memory measurement: the built gateway (`conduit start`, foreground) gets a stream of
 * hostile `/v1/messages` bodies at concurrency 8 (strings up to 5 MiB, nesting up to 200,000 levels,
 * up to 22,000 messages of accented text and emoji, invalid tool results, duplicate keys, plus small
 * valid requests) against an instant Anthropic mock, while its RSS is sampled from /proc every
 * 20 ms. Reports idle, peak and final RSS, the answers by status (or client error code), the
 * duration, and whether `/health` still answers afterwards. The body mix is seeded, so every run
 * and every build sees the same bodies.
 *
 *   pnpm --filter @conduit/cli build && pnpm --filter @conduit/bench hostile-memory
 *   pnpm --filter @conduit/bench hostile-memory -- --requests 600 --runs 2 \
 *     --cli ../apps/cli/dist-before/cli.js,../apps/cli/dist/cli.js \
 *     --node-flags "--max-semi-space-size=4 --max-old-space-size=512"
 *
 * Builds given with `--cli` run alternately (a, b, a, b, …) so load changes hit them alike.
 * Writes bench/results/hostile-memory.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { cliEntry, resultsDirectory } from './lib/bench-paths.js';
import { describeMachine } from './lib/machine-info.js';
import { median } from './lib/statistics.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}
const requests = Number(flag('--requests') ?? 3_000);
const runs = Number(flag('--runs') ?? 1);
const concurrency = Number(flag('--concurrency') ?? 8);
const seed = Number(flag('--seed') ?? 19);
const nodeFlags = (flag('--node-flags') ?? '').split(' ').filter(Boolean);
const clis = (flag('--cli') ?? cliEntry).split(',').map(entry => path.resolve(entry));
const MiB = 1024 * 1024;

/** A small deterministic generator (the same bodies for every run and build). */
function seededRandom(start: number): (below: number) => number {
  let state = start;
  return below => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((state / 2 ** 31) * below);
  };
}

/** The `index`th body of the mix (issue 19's fuzzing run). */
function hostileBody(index: number, random: (below: number) => number): string {
  const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
  switch (index % 6) {
    case 0:
      return JSON.stringify({
        ...base,
        messages: [{ role: 'user', content: 'x'.repeat(1 + random(5 * MiB)) }],
      });
    case 1: {
      const depth = 1_000 + random(200_000);
      return `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`;
    }
    case 2:
      return JSON.stringify({
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't', content: [null, 3] }],
          },
        ],
      });
    case 3:
      return '{"model":"m","model":"other","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}';
    case 4:
      return JSON.stringify({
        ...base,
        messages: Array.from({ length: 2_000 + random(20_000) }, (_, turn) => ({
          role: turn % 2 ? 'assistant' : 'user',
          content: 'é🤖'.repeat(50),
        })).concat([{ role: 'user', content: 'q' }]),
      });
    default:
      return JSON.stringify(base);
  }
}

const upstreamAnswer = JSON.stringify({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 1 },
});

function residentMB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

interface RunResult {
  cli: string;
  nodeFlags: string;
  loadAverage: number[];
  idleMB: number;
  peakMB: number;
  finalMB: number;
  seconds: number;
  answers: Record<string, number>;
  healthAfter: number | string;
  gatewayExit?: string;
}

async function measure(cli: string, upstreamPort: number): Promise<RunResult> {
  const home = mkdtempSync(path.join(tmpdir(), 'conduit-hostile-memory-'));
  const config = path.join(home, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      Providers: [
        {
          name: 'a',
          api_base_url: `http://127.0.0.1:${upstreamPort}/v1/messages`,
          api_key: 'sk-bench',
          models: ['m'],
          transformer: { use: ['Anthropic'] },
        },
      ],
      Router: { default: 'a,m' },
      LOG: false,
    }),
  );
  const port = 43_000 + Math.floor(Math.random() * 1_000);
  const gateway: ChildProcess = spawn(
    process.execPath,
    [...nodeFlags, cli, 'start', '--port', String(port), '--config', config],
    {
      env: { ...process.env, CONDUIT_HOME: home, HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let gatewayExit: string | undefined;
  gateway.on('exit', (code, signal) => {
    gatewayExit = String(code ?? signal);
  });
  gateway.stderr?.resume();
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  const loadAverage = loadavg().map(value => Math.round(value * 100) / 100);
  const idleMB = residentMB(gateway.pid);
  let peakMB = idleMB;
  const sampler = setInterval(() => {
    peakMB = Math.max(peakMB, residentMB(gateway.pid));
  }, 20);
  const random = seededRandom(seed);
  const answers: Record<string, number> = {};
  const count = (key: string) => {
    answers[key] = (answers[key] ?? 0) + 1;
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests && gatewayExit === undefined) {
        const body = hostileBody(next++, random);
        try {
          const response = await fetch(`${base}/v1/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
            body,
          });
          await response.arrayBuffer();
          count(String(response.status));
        } catch (error) {
          const cause = (error as { cause?: { code?: string } }).cause;
          count(cause?.code ?? 'client error');
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  let healthAfter: number | string;
  try {
    healthAfter = (await fetch(`${base}/health`)).status;
  } catch (error) {
    healthAfter = String((error as { cause?: { code?: string } }).cause?.code ?? error);
  }
  const finalMB = residentMB(gateway.pid);
  const exitedEarly = gatewayExit;
  gateway.kill('SIGTERM');
  await new Promise(resolve => setTimeout(resolve, 500));
  rmSync(home, { recursive: true, force: true });
  const round = (value: number) => Math.round(value);
  return {
    cli: path.relative(process.cwd(), cli),
    nodeFlags: nodeFlags.join(' ') || '(default)',
    loadAverage,
    idleMB: round(idleMB),
    peakMB: round(peakMB),
    finalMB: round(finalMB),
    seconds: Math.round(seconds * 10) / 10,
    answers,
    healthAfter,
    ...(exitedEarly === undefined ? {} : { gatewayExit: exitedEarly }),
  };
}

const upstream = createServer((incoming, outgoing) => {
  incoming.resume();
  incoming.on('end', () => {
    outgoing.writeHead(200, { 'content-type': 'application/json' });
    outgoing.end(upstreamAnswer);
  });
});
await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;
const loadAverageAtStart = loadavg();
const results: RunResult[] = [];
for (let run = 0; run < runs; run++) {
  for (let offset = 0; offset < clis.length; offset++) {
    const cli = clis[(run + offset) % clis.length] as string;
    const result = await measure(cli, upstreamPort);
    results.push(result);
    process.stderr.write(`${JSON.stringify(result)}\n`);
  }
}
upstream.close();

const medians = clis.map(cli => {
  const own = results.filter(result => result.cli === path.relative(process.cwd(), cli));
  return {
    cli: path.relative(process.cwd(), cli),
    runs: own.length,
    peakMB: median(own.map(result => result.peakMB)),
    finalMB: median(own.map(result => result.finalMB)),
    seconds: median(own.map(result => result.seconds)),
  };
});
mkdirSync(resultsDirectory, { recursive: true });
const output = path.join(resultsDirectory, 'hostile-memory.json');
writeFileSync(
  output,
  `${JSON.stringify(
    {
      machine: describeMachine(),
      loadAverageAtStart: loadAverageAtStart.map(value => Math.round(value * 10) / 10),
      loadAverageAtEnd: loadavg().map(value => Math.round(value * 10) / 10),
      requests,
      concurrency,
      seed,
      medians,
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(JSON.stringify(medians, null, 2));
console.log(`written to ${path.relative(process.cwd(), output)}`);
