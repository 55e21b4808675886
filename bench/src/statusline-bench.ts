/**
 * `conduit statusline` latency, as Claude Code sees it: wall time of `node dist/statusline.cjs` (the
 * command `conduit code` configures) and of `node dist/cli.js statusline`, with Claude Code's JSON
 * on stdin, against a running gateway and with the gateway down, next to a bare `node -e 0` (the
 * floor no Node CLI can beat on this machine). The gateway is the one `conduit start` runs for a
 * Synapse config (usage ledger, budgets): the session's project budget is 83% spent, so the "up"
 * runs take the longest path (ledger totals, budget peek, the ⚠ mark). Each variant's line is
 * printed once before measuring, so a run that silently fell back to the offline line shows.
 * Target: median ≤ 50 ms above the bare Node start.
 *
 * Wall time on a busy machine mostly measures the scheduler, so every run also reports the child's
 * own CPU time (user + system, read by a one-line preload at exit), and the variants run
 * interleaved (bare, up, down, bare, …) so load changes hit them alike. `--compare <cli.js>`
 * adds another build of the CLI (e.g. the previous commit's dist copied aside), interleaved too.
 * Writes bench/results/statusline.json.
 *
 *   pnpm --filter @conduit/cli build && pnpm --filter @conduit/bench statusline [-- --runs 30]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createSynapseServer } from '@conduit/conduit';
import { cliEntry, resultsDirectory } from './lib/bench-paths.js';
import { describeMachine } from './lib/machine-info.js';
import { median, percentile } from './lib/statistics.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}
const runs = Number(flag('--runs') ?? 30);
const compareCli = flag('--compare');
const cli = cliEntry;
const statusLineEntry = path.join(path.dirname(cliEntry), 'statusline.cjs');
const sessionId = '9868323c-aaeb-4a7c-ad65-cacc01855e12';
const claudeInput = JSON.stringify({
  session_id: sessionId,
  cwd: process.cwd(),
  model: { id: 'claude-opus-4-8[1m]', display_name: 'Opus 4.8 (1M context)' },
  workspace: { current_dir: process.cwd(), project_dir: process.cwd() },
  version: '2.1.197',
  cost: { total_cost_usd: 0, total_duration_ms: 3733 },
});

/** Preloaded into every child: its CPU time (µs) on fd 3 when it exits. */
const cpuReporter = `process.on('exit',()=>{const u=process.cpuUsage();try{require('fs').writeSync(3,String(u.user+u.system))}catch{}})`;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

function timeOnce(
  args: string[],
  env: NodeJS.ProcessEnv,
  input: string,
  keepOutput = false,
): Promise<Sample & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-r', reporterFile, ...args], {
      env,
      stdio: ['pipe', keepOutput ? 'pipe' : 'ignore', 'inherit', 'pipe'],
    });
    let cpu = '';
    let stdout = '';
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      cpu += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () =>
      resolve({ wallMs: performance.now() - started, cpuMs: Number(cpu) / 1000, stdout }),
    );
    child.stdin?.end(input);
  });
}

interface Variant {
  label: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  input: string;
  samples: Sample[];
}

/** Runs every variant `runs` times, interleaved, rotating which one goes first. */
async function measureInterleaved(variants: Variant[]): Promise<void> {
  for (let run = 0; run < runs; run++) {
    for (let offset = 0; offset < variants.length; offset++) {
      const variant = variants[(run + offset) % variants.length] as Variant;
      const { wallMs, cpuMs } = await timeOnce(variant.args, variant.env, variant.input);
      variant.samples.push({ wallMs, cpuMs });
    }
  }
}

const home = mkdtempSync(path.join(tmpdir(), 'conduit-statusline-bench-'));
const reporterFile = path.join(home, 'cpu-reporter.cjs');
writeFileSync(reporterFile, cpuReporter);
// One fixed OpenAI-compatible answer with fixed usage, so the session's spend is known.
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
      // $0.025 at the bench's price: 83% of the session's $0.03 project budget.
      usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 },
    }),
  );
});
await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
const upstreamAddress = upstream.address() as { port: number };
const upstreamEndpoint = `http://127.0.0.1:${upstreamAddress.port}/v1/chat/completions`;
const server = await createSynapseServer(
  {
    Providers: [{ name: 'mock', api_base_url: upstreamEndpoint, api_key: 'k', models: ['m'] }],
    Router: { default: 'mock,m' },
    usage: {
      storage: path.join(home, 'usage.db'),
      pricing: { 'mock,m': { input: 1000, output: 1000 } },
    },
    synapse: { budgets: { project: { daily: 0.03 } } },
  },
  { home, routerOverrides: false },
);
try {
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-synapse-project-id': 'bench' },
    body: JSON.stringify({
      model: 'claude-sonnet-4',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { user_id: JSON.stringify({ session_id: sessionId }) },
    }),
  });
  const env = { PATH: process.env.PATH, HOME: home, CONDUIT_HOME: home };
  const upEnv = { ...env, ANTHROPIC_BASE_URL: url };
  const downEnv = { ...env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
  const variant = (label: string, args: string[], variantEnv: NodeJS.ProcessEnv, input = '') =>
    ({ label, args, env: variantEnv, input, samples: [] }) as Variant;
  // What `conduit code` configures (dist/statusline.cjs), then `conduit statusline` via the bin.
  const variants = [
    variant('bare node -e 0', ['-e', '0'], env),
    variant('entry: gateway up', [statusLineEntry], upEnv, claudeInput),
    variant('entry: gateway down', [statusLineEntry], downEnv, claudeInput),
    variant('bin: gateway up', [cli, 'statusline'], upEnv, claudeInput),
    variant('bin: gateway down', [cli, 'statusline'], downEnv, claudeInput),
  ];
  if (compareCli) {
    variants.push(variant('compare: gateway up', [compareCli, 'statusline'], upEnv, claudeInput));
    variants.push(
      variant('compare: gateway down', [compareCli, 'statusline'], downEnv, claudeInput),
    );
  }
  for (const entry of variants.slice(1)) {
    const { stdout } = await timeOnce(entry.args, entry.env, entry.input, true);
    process.stdout.write(`${entry.label.padEnd(24)} ${stdout.trim()}\n`);
  }
  const loadAtStart = loadavg();
  await measureInterleaved(variants);
  const bare = variants[0] as Variant;
  const summary = variants.map(entry => {
    const walls = entry.samples.map(sample => sample.wallMs);
    const wall = median(walls);
    const cpu = median(entry.samples.map(sample => sample.cpuMs));
    return {
      label: entry.label,
      wallMedianMs: round(wall),
      // The spread: the middle half of the runs (p25–p75) and the fastest one.
      wallP25Ms: round(percentile(walls, 0.25)),
      wallP75Ms: round(percentile(walls, 0.75)),
      wallMinMs: round(Math.min(...walls)),
      cpuMedianMs: round(cpu),
      wallOverBareMs: round(wall - median(bare.samples.map(sample => sample.wallMs))),
      cpuOverBareMs: round(cpu - median(bare.samples.map(sample => sample.cpuMs))),
    };
  });
  const lines = [
    ...(compareCli ? [`compare: ${compareCli}`] : []),
    `conduit statusline, medians of ${runs} interleaved runs (load ${loadAtStart.map(value => value.toFixed(1)).join(' ')})`,
    `${''.padEnd(24)} ${'wall'.padStart(9)} ${'p25–p75'.padStart(17)} ${'min'.padStart(9)} ${'cpu'.padStart(9)} ${'wall-bare'.padStart(10)} ${'cpu-bare'.padStart(9)}`,
    ...summary.map(
      row =>
        `${row.label.padEnd(24)} ${ms(row.wallMedianMs, 9)} ${`${row.wallP25Ms.toFixed(1)}–${row.wallP75Ms.toFixed(1)} ms`.padStart(17)} ${ms(row.wallMinMs, 9)} ${ms(row.cpuMedianMs, 9)} ${ms(row.wallOverBareMs, 10)} ${ms(row.cpuOverBareMs, 9)}`,
    ),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  mkdirSync(resultsDirectory, { recursive: true });
  const output = path.join(resultsDirectory, 'statusline.json');
  writeFileSync(
    output,
    `${JSON.stringify(
      {
        machine: describeMachine(),
        loadAverageAtStart: loadAtStart.map(round),
        loadAverageAtEnd: loadavg().map(round),
        runs,
        target: 'median wall time over bare node ≤ 50 ms',
        // The other build the `compare:` rows ran (`--compare`), e.g. the previous commit's dist.
        compareCli: compareCli ?? null,
        results: summary,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`wrote ${path.relative(process.cwd(), output)}\n`);
} finally {
  await server.stop();
  await new Promise(resolve => upstream.close(resolve));
  rmSync(home, { recursive: true, force: true });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function ms(value: number, width: number): string {
  return `${value.toFixed(1)} ms`.padStart(width);
}
