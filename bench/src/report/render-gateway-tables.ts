import type { BenchResults } from '../bench-results.js';
import type { OverheadResult } from '../sections/overhead.js';
import { formatNumber, formatWithSpread, renderTable } from './markdown-table.js';

function gatewayCells(row: OverheadResult, gateway: string, stream: boolean): string[] {
  const comparison = row.gateways[gateway];
  if (!comparison) return stream ? ['–', '–', '–', '–', '–'] : ['–', '–', '–', '–'];
  const errors = comparison.errors > 0 ? ` (${comparison.errors} err)` : '';
  const cells = [
    formatWithSpread(comparison.addedMedianMs, comparison.spread?.addedMedianMs, 3),
    formatNumber(comparison.addedP99Ms, 2),
    `${formatWithSpread(comparison.requestsPerSecond, comparison.spread?.requestsPerSecond, 0)}${errors}`,
  ];
  if (stream) cells.push(formatNumber(comparison.addedTTFBMedianMs, 3));
  cells.push(
    formatWithSpread(comparison.cpuMicrosPerRequest, comparison.spread?.cpuMicrosPerRequest, 0),
  );
  return cells;
}

/** The overhead table of streamed or non-streamed scenarios, one column group per gateway. */
export function renderOverhead(results: BenchResults, stream: boolean): string {
  const withCCR = results.ccr.status === 'measured';
  const header = ['scenario', 'direct median ms', 'direct p99 ms', 'direct req/s'];
  const gatewayHeader = (name: string) =>
    stream
      ? [
          `${name} +median ms`,
          `${name} +p99 ms`,
          `${name} req/s`,
          `${name} +TTFB ms`,
          `${name} CPU µs/req`,
        ]
      : [`${name} +median ms`, `${name} +p99 ms`, `${name} req/s`, `${name} CPU µs/req`];
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
        const versus = row.conduitVsCCR;
        cells.push(
          ...gatewayCells(row, 'ccr', stream),
          formatWithSpread(versus?.addedMedian.median, versus?.addedMedian, 1, '×'),
          formatWithSpread(versus?.requestsPerSecond.median, versus?.requestsPerSecond, 1, '×'),
        );
      }
      return cells;
    });
  return renderTable(header, rows, ['l']);
}

/** In-process translation throughput and the end-to-end stream comparison. */
export function renderStreams(results: BenchResults): string {
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
    'Conduit CPU µs/stream',
  ];
  if (withCCR) header.push('CCR streams/s', 'CCR ÷ direct');
  const rows = results.streaming.endToEnd.map(row => {
    const conduit = row.gateways.conduit;
    const cells = [
      row.scenario.id + (row.scenario.note ? ` (${row.scenario.note})` : ''),
      formatNumber(row.direct.requestsPerSecond, 1),
      formatNumber(row.direct.eventsPerSecond, 0),
      formatNumber(conduit?.requestsPerSecond, 1),
      formatWithSpread(conduit?.throughputRatio, conduit?.spread?.throughputRatio, 3),
      formatNumber(conduit?.eventsPerSecond, 0),
      formatNumber(conduit?.addedTTFBMedianMs, 3),
      formatWithSpread(conduit?.cpuMicrosPerRequest, conduit?.spread?.cpuMicrosPerRequest, 0),
    ];
    if (withCCR) {
      cells.push(
        formatNumber(row.gateways.ccr?.requestsPerSecond, 1),
        formatWithSpread(
          row.gateways.ccr?.throughputRatio,
          row.gateways.ccr?.spread?.throughputRatio,
          3,
        ),
      );
    }
    return cells;
  });
  return `${inProcess}\n\n${renderTable(header, rows, ['l'])}`;
}
