import type { BenchResults } from '../bench-results.js';
import type { GatewayProfile } from '../sections/cpu-profile.js';
import type { Summary } from '../lib/statistics.js';

import { formatNumber, formatWithSpread, renderTable } from './markdown-table.js';
import { renderOverhead, renderStreams } from './render-gateway-tables.js';

function renderTokenCounter(results: BenchResults): string {
  const counter = results.tokenCounter;
  const largest = [...counter.fixtures].sort((left, right) => right.bytes - left.bytes).slice(0, 5);
  const claudeCode = counter.fixtures.find(fixture => fixture.fixture === 'cc-hi-01-messages.json');
  const shown = claudeCode && !largest.includes(claudeCode) ? [claudeCode, ...largest] : largest;
  const table = renderTable(
    ['fixture', 'KB', 'tokens', 'cold ms', 'warm ms'],
    shown.map(fixture => [
      fixture.fixture,
      formatNumber(fixture.bytes / 1024, 1),
      String(fixture.tokens),
      formatNumber(fixture.coldMedianMs, 3),
      formatNumber(fixture.warmMedianMs, 4),
    ]),
    ['l'],
  );
  const grow = counter.growingConversation;
  return [
    `First count in a fresh process (encoder tables built): ${formatNumber(counter.firstCountMs, 1)} ms.`,
    `All ${counter.fixtures.length} request fixtures: cold (fresh counter) median of medians ${formatNumber(counter.coldMedianMs.median, 3)} ms, max ${formatNumber(counter.coldMedianMs.max, 3)} ms; warm (cached) median ${formatNumber(counter.warmMedianMs.median, 4)} ms, max ${formatNumber(counter.warmMedianMs.max, 4)} ms. Largest five:`,
    '',
    table,
    '',
    `Growing conversation (cc-hi-01 + tool round trips of ~6 KB each): ${grow.turns} turns to ${grow.finalTokens} tokens (${formatNumber(grow.finalBytes / 1024, 0)} KB). Each turn's full request counted with one warm counter: median ${formatNumber(grow.perTurnMs.median, 3)} ms, p99 ${formatNumber(grow.perTurnMs.p99, 3)} ms, last turn ${formatNumber(grow.lastTurnMs, 3)} ms. The final request counted cold: ${formatNumber(grow.finalColdMs, 1)} ms.`,
  ].join('\n');
}

function renderRouting(results: BenchResults): string {
  const routing = results.routing;
  return [
    renderTable(
      ['measure', 'value'],
      [
        [
          'library `router.route()` warm, median',
          `${formatNumber(routing.libraryWarmMs.median, 4)} ms`,
        ],
        [
          'library, fresh router + counter per route, median',
          `${formatNumber(routing.libraryColdMs.median, 3)} ms`,
        ],
        [
          '`conduit route <file> --json` (spawned), wall median',
          `${formatNumber(routing.cliWallMs.median, 1)} ms`,
        ],
        ['CLI process max RSS', `${formatNumber(routing.cliMaxRSSMB, 1)} MB`],
        [
          'library RSS growth (import + router + 100 routes)',
          `${formatNumber(routing.libraryRSSDeltaMB, 1)} MB`,
        ],
        ['library heap growth', `${formatNumber(routing.libraryHeapDeltaMB, 1)} MB`],
        ['speed-up, warm route', `${formatNumber(routing.speedupWarm, 0)}×`],
        ['speed-up, fresh router', `${formatNumber(routing.speedupCold, 0)}×`],
        ['library memory ÷ CLI memory', formatNumber(routing.memoryFraction, 2)],
      ],
      ['l', 'r'],
    ),
    ...routing.notes.map(note => `- ${note}`),
  ].join('\n');
}

function renderMemory(results: BenchResults): string {
  const { memory, cappedHeapMemory: capped } = results;
  const row = (label: string, pick: (result: typeof memory) => number, digits = 1) => [
    label,
    formatNumber(pick(memory), digits),
    formatNumber(pick(capped), digits),
  ];
  return [
    renderTable(
      ['measure', 'Conduit', `Conduit, ${capped.nodeFlags.join(' ')}`],
      [
        row('idle RSS (MB)', result => result.idleMB),
        row('peak RSS under load (MB)', result => result.peakMB),
        row('RSS after the first tenth of the requests (MB)', result => result.afterWarmupMB),
        row('RSS after all requests (MB)', result => result.afterAllMB),
        row('growth over the last nine tenths (MB)', result => result.growthMB),
        row('requests (half JSON, half SSE, c=32)', result => result.requests, 0),
        row('throughput (req/s)', result => result.requestsPerSecond, 0),
        row('errors', result => result.errors, 0),
      ],
      ['l'],
    ),
    '',
    `claude-code-router idle RSS: ${formatNumber(results.ccr.idleMB, 1)} MB. With the heap capped, flat RSS means growth under the default flags is V8 collecting lazily on a machine with ${results.machine.totalMemoryGiB} GiB, not a leak.`,
  ].join('\n');
}

function coldStartRows(results: BenchResults): Array<[string, Summary]> {
  const rows: Array<[string, Summary]> = [
    ['bare node:http server (floor)', results.coldStart.nodeFloorMs],
    ['`conduit start`, no config', results.coldStart.noConfigMs],
    ['`conduit start`, bench config', results.coldStart.withConfigMs],
  ];
  if (results.ccr.coldStartMs) rows.push(['`ccr start`, same providers', results.ccr.coldStartMs]);
  return rows;
}

/** The warm-up's first run, right after each gateway started (for reference; no target). */
function renderJustAfterStart(results: BenchResults): string[] {
  const first = results.warmUp?.justAfterStart;
  if (!first) return [];
  const seconds = formatNumber(first.durationMs / 1000, 1);
  const gateways = Object.entries(first.gateways).map(
    ([name, run]) =>
      `${name} +${formatNumber(run.addedMedianMs, 3)} ms median, ${formatNumber(run.requestsPerSecond, 0)} req/s`,
  );
  return [
    '',
    `Just after start (the first ${seconds} s of load, ${first.scenario}, before the warm-up the rows above had): ${gateways.join('; ')} (direct ${formatNumber(first.direct.requestsPerSecond, 0)} req/s).`,
  ];
}

/** One CPU profile: self time by area, then by function. */
function renderProfile(profile: GatewayProfile): string[] {
  const perRequest = (selfMs: number) =>
    profile.requests > 0 ? formatNumber((selfMs * 1000) / profile.requests, 1) : 'n/a';
  const warm =
    profile.warmUpMs === undefined
      ? 'start-up included; file names are the CLI bundle chunks'
      : `counted after ${formatNumber(profile.warmUpMs / 1000, 1)} s of the same load (JIT warm-up), start-up and shutdown excluded; names from the bundle's source maps`;
  const lines = [
    `## Where the gateway's CPU goes: ${profile.scenario} (${profile.requests} requests)`,
    '',
    `Self time from \`node --cpu-prof\` on the gateway process (idle excluded; ${warm}). The profiler itself slows the process, so compare shares rather than absolute times.`,
    '',
  ];
  const table = (label: string, entries: GatewayProfile['entries']) =>
    renderTable(
      [label, 'self ms', 'µs per request', 'self %'],
      entries.map(entry => [
        entry.function,
        formatNumber(entry.selfMs, 0),
        perRequest(entry.selfMs),
        formatNumber(entry.selfPercent, 1),
      ]),
      ['l'],
    );
  if (profile.areas) lines.push(table('area', profile.areas), '');
  lines.push(table('function', profile.entries));
  return lines;
}

/** The whole report: machine, targets, then one section per measurement. */
export function renderMarkdown(results: BenchResults): string {
  const machine = results.machine;
  const lines: string[] = [
    `# Conduit bench results (${results.mode})`,
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB RAM, ${machine.platform}, load average ${machine.loadAverage.join(' / ')} at start, ${results.loadAverageAtEnd.join(' / ')} at the end`,
    `- Node ${machine.node}; run ${machine.date}${machine.commit ? ` at commit ${machine.commit}` : ''}; took ${formatNumber(results.durationSeconds, 0)} s`,
    `- claude-code-router ${results.ccr.version}: ${results.ccr.status} (${results.ccr.note})`,
    '',
    '## Caveats',
    '',
    ...results.caveats.map(caveat => `- ${caveat}`),
    '',
    '## Targets (issues 10, 16 and 20)',
    '',
    'A measured value with a range in parentheses is the median round with the lowest and highest round.',
    '',
    renderTable(
      ['target', 'goal', 'measured', 'met'],
      results.targets.map(target => [
        target.target,
        `${target.comparison} ${target.threshold} ${target.unit}`,
        formatWithSpread(
          target.measured,
          target.spread,
          target.measured !== null && Math.abs(target.measured) >= 100 ? 0 : 3,
          ` ${target.unit}`,
        ),
        target.met === null ? 'n/a' : target.met ? 'yes' : '**no**',
      ]),
      ['l', 'l', 'r', 'l'],
    ),
    '',
    '## 1. Gateway overhead, non-streaming',
    '',
    'Added latency = through the gateway minus straight to the mock, same client. `small` is one short user turn; `claude-code` is the real `cc-hi-01` request (24 tools, 76 KB). `openai` goes through the Anthropic → OpenAI translation, `anthropic` is the passthrough.',
    '',
    renderOverhead(results, false),
    ...renderJustAfterStart(results),
    '',
    '## 1b. Gateway overhead, streaming (SSE)',
    '',
    renderOverhead(results, true),
    '',
    '## 2. Streaming translation throughput',
    '',
    'The long stream is 8,000 characters of text in 5-character deltas and two tool calls whose arguments arrive 4 characters at a time (about 2,400 OpenAI chunks).',
    '',
    renderStreams(results),
    '',
    '## 3. Token counter',
    '',
    renderTokenCounter(results),
    '',
    '## 4. Library routing vs the CLI (seed success metrics)',
    '',
    renderRouting(results),
    '',
    '## 5. Memory of the gateway process',
    '',
    renderMemory(results),
    '',
    '## 6. Cold start (spawn → first 200 from /health)',
    '',
    renderTable(
      ['start', 'median ms', 'min ms', 'max ms', 'runs'],
      coldStartRows(results).map(([label, summary]) => [
        label,
        formatNumber(summary.median, 0),
        formatNumber(summary.min, 0),
        formatNumber(summary.max, 0),
        String(summary.count),
      ]),
      ['l'],
    ),
  ];
  for (const profile of results.profiles) lines.push('', ...renderProfile(profile));
  return `${lines.join('\n')}\n`;
}
