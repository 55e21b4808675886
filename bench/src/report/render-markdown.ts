import type { BenchResults } from '../bench-results.js';
import type { Summary } from '../lib/statistics.js';
import type { OverheadResult } from '../sections/overhead.js';

/** Fixed-point number, or `–` when missing. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** A Markdown table from a header row and body rows (pipes in cells are escaped). */
export function renderTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const separator = header.map((_, index) => ((align?.[index] ?? 'r') === 'l' ? '---' : '---:'));
  return [header, separator, ...rows]
    .map(cells => `| ${cells.map(escapeCell).join(' | ')} |`)
    .join('\n');
}

function gatewayCells(row: OverheadResult, gateway: string, stream: boolean): string[] {
  const comparison = row.gateways[gateway];
  if (!comparison) return stream ? ['–', '–', '–', '–'] : ['–', '–', '–'];
  const errors = comparison.errors > 0 ? ` (${comparison.errors} err)` : '';
  const cells = [
    formatNumber(comparison.addedMedianMs, 3),
    formatNumber(comparison.addedP99Ms, 2),
    `${formatNumber(comparison.requestsPerSecond, 0)}${errors}`,
  ];
  if (stream) cells.push(formatNumber(comparison.addedTTFBMedianMs, 3));
  return cells;
}

function renderOverhead(results: BenchResults, stream: boolean): string {
  const withCCR = results.ccr.status === 'measured';
  const header = ['scenario', 'direct median ms', 'direct p99 ms', 'direct req/s'];
  const gatewayHeader = (name: string) =>
    stream
      ? [`${name} +median ms`, `${name} +p99 ms`, `${name} req/s`, `${name} +TTFB ms`]
      : [`${name} +median ms`, `${name} +p99 ms`, `${name} req/s`];
  header.push(...gatewayHeader('Conduit'));
  if (withCCR) header.push(...gatewayHeader('CCR'), 'CCR ÷ Conduit +median', 'Conduit ÷ CCR req/s');
  const rows = results.overhead
    .filter(row => row.scenario.stream === stream)
    .map(row => {
      const cells = [
        row.scenario.id + (row.scenario.note ? ` (${row.scenario.note})` : ''),
        formatNumber(row.direct.medianMs, 3),
        formatNumber(row.direct.p99Ms, 2),
        formatNumber(row.direct.requestsPerSecond, 0),
        ...gatewayCells(row, 'conduit', stream),
      ];
      if (withCCR) {
        const conduit = row.gateways.conduit;
        const ccr = row.gateways.ccr;
        cells.push(
          ...gatewayCells(row, 'ccr', stream),
          conduit && ccr && conduit.addedMedianMs > 0
            ? `${formatNumber(ccr.addedMedianMs / conduit.addedMedianMs, 1)}×`
            : '–',
          conduit && ccr
            ? `${formatNumber(conduit.requestsPerSecond / ccr.requestsPerSecond, 1)}×`
            : '–',
        );
      }
      return cells;
    });
  return renderTable(header, rows, ['l']);
}

function renderStreams(results: BenchResults): string {
  const { stateMachine, adapter } = results.streaming.inProcess;
  const inProcess = renderTable(
    [
      'layer (in process, long stream)',
      'upstream chunks',
      'Anthropic events',
      'ms per stream',
      'chunks/s',
      'events/s',
    ],
    [
      ['OpenAIStreamState alone (parsed chunks)', stateMachine, 'state'] as const,
      ['OpenAI adapter: SSE bytes in → Anthropic SSE bytes out', adapter, 'adapter'] as const,
    ].map(([label, numbers]) => [
      label,
      String(numbers.upstreamChunksPerStream),
      String(numbers.eventsPerStream),
      formatNumber(numbers.perStreamMs, 3),
      formatNumber(numbers.upstreamChunksPerSecond, 0),
      formatNumber(numbers.eventsPerSecond, 0),
    ]),
    ['l'],
  );
  const withCCR = results.ccr.status === 'measured';
  const header = [
    'stream (end to end)',
    'direct streams/s',
    'direct upstream chunks/s',
    'Conduit streams/s',
    'Conduit ÷ direct',
    'Conduit Anthropic events/s',
    'Conduit +TTFB ms',
  ];
  if (withCCR) header.push('CCR streams/s', 'CCR ÷ direct');
  const rows = results.streaming.endToEnd.map(row => {
    const conduit = row.gateways.conduit;
    const cells = [
      row.scenario.id + (row.scenario.note ? ` (${row.scenario.note})` : ''),
      formatNumber(row.direct.requestsPerSecond, 1),
      formatNumber(row.direct.eventsPerSecond, 0),
      formatNumber(conduit?.requestsPerSecond, 1),
      formatNumber(conduit?.throughputRatio, 3),
      formatNumber(conduit?.eventsPerSecond, 0),
      formatNumber(conduit?.addedTTFBMedianMs, 3),
    ];
    if (withCCR) {
      cells.push(
        formatNumber(row.gateways.ccr?.requestsPerSecond, 1),
        formatNumber(row.gateways.ccr?.throughputRatio, 3),
      );
    }
    return cells;
  });
  return `${inProcess}\n\n${renderTable(header, rows, ['l'])}`;
}

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

function coldStartRows(results: BenchResults): Array<[string, Summary]> {
  const rows: Array<[string, Summary]> = [
    ['bare node:http server (floor)', results.coldStart.nodeFloorMs],
    ['`conduit start`, no config', results.coldStart.noConfigMs],
    ['`conduit start`, bench config', results.coldStart.withConfigMs],
  ];
  if (results.ccr.coldStartMs) rows.push(['`ccr start`, same providers', results.ccr.coldStartMs]);
  return rows;
}

/** The whole report: machine, targets, then one section per measurement. */
export function renderMarkdown(results: BenchResults): string {
  const machine = results.machine;
  const lines: string[] = [
    `# Conduit bench results (${results.mode})`,
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.totalMemoryGiB} GiB RAM, ${machine.platform}, load average at start ${machine.loadAverage.join(' / ')}`,
    `- Node ${machine.node}; run ${machine.date}; took ${formatNumber(results.durationSeconds, 0)} s`,
    `- claude-code-router ${results.ccr.version}: ${results.ccr.status} (${results.ccr.note})`,
    '',
    '## Caveats',
    '',
    ...results.caveats.map(caveat => `- ${caveat}`),
    '',
    '## Targets (issue 10)',
    '',
    renderTable(
      ['target', 'goal', 'measured', 'met'],
      results.targets.map(target => [
        target.target,
        `${target.comparison} ${target.threshold} ${target.unit}`,
        `${formatNumber(target.measured, target.measured !== null && Math.abs(target.measured) >= 100 ? 0 : 3)} ${target.unit}`,
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
    renderTable(
      ['measure', 'Conduit', 'CCR'],
      [
        [
          'idle RSS (MB)',
          formatNumber(results.memory.idleMB, 1),
          formatNumber(results.ccr.idleMB, 1),
        ],
        ['peak RSS under load (MB)', formatNumber(results.memory.peakMB, 1), '–'],
        [
          `RSS after the first ${Math.round(results.memory.requests / 10)} requests (MB)`,
          formatNumber(results.memory.afterWarmupMB, 1),
          '–',
        ],
        [
          `RSS after all ${results.memory.requests} requests (MB)`,
          formatNumber(results.memory.afterAllMB, 1),
          '–',
        ],
        ['growth over the last 90% (MB)', formatNumber(results.memory.growthMB, 1), '–'],
        [
          'throughput during the run (req/s, half JSON, half SSE, c=32)',
          formatNumber(results.memory.requestsPerSecond, 0),
          '–',
        ],
        ['errors', String(results.memory.errors), '–'],
      ],
      ['l', 'r', 'r'],
    ),
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
  if (results.profile) {
    lines.push(
      '',
      `## Where the gateway's CPU goes (${results.profile.scenario}, ${results.profile.requests} requests)`,
      '',
      'Self time from `node --cpu-prof` on the gateway process (idle excluded). File names are the CLI bundle chunks.',
      '',
      renderTable(
        ['function', 'self ms', 'self %'],
        results.profile.entries.map(entry => [
          entry.function,
          formatNumber(entry.selfMs, 0),
          formatNumber(entry.selfPercent, 1),
        ]),
        ['l'],
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
