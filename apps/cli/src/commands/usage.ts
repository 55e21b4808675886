import { existsSync } from 'node:fs';
import {
  createUsageStore,
  redactText,
  type UsageAggregate,
  type UsageStats,
} from '@conduit/conduit';
import type { CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import {
  formatDuration,
  formatInteger,
  formatTable,
  formatUSD,
  type TableColumn,
} from '../lib/format-table.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { parseTimeBound } from '../lib/parse-time.js';

export interface UsageArguments extends GlobalOptions {
  since: string;
  until?: string;
  project?: string;
  json: boolean;
}

const aggregateColumns: TableColumn[] = [
  { header: 'requests', align: 'right' },
  { header: 'input', align: 'right' },
  { header: 'output', align: 'right' },
  { header: 'cache read', align: 'right' },
  { header: 'cache write', align: 'right' },
  { header: 'cost', align: 'right' },
  { header: 'errors', align: 'right' },
  { header: 'p50', align: 'right' },
  { header: 'p95', align: 'right' },
];

function aggregateCells(aggregate: UsageAggregate): string[] {
  const cost = formatUSD(aggregate.costUsd) + (aggregate.unpricedRequests > 0 ? '*' : '');
  return [
    formatInteger(aggregate.requests),
    formatInteger(aggregate.inputTokens),
    formatInteger(aggregate.outputTokens),
    formatInteger(aggregate.cacheReadTokens),
    formatInteger(aggregate.cacheWriteTokens),
    cost,
    formatInteger(aggregate.errors),
    formatDuration(aggregate.latencyMs.p50),
    formatDuration(aggregate.latencyMs.p95),
  ];
}

function section<T extends UsageAggregate>(
  title: string,
  keyHeader: string,
  rows: T[],
  key: (row: T) => string,
): string {
  const table = formatTable(
    [{ header: keyHeader }, ...aggregateColumns],
    rows.map(row => [key(row), ...aggregateCells(row)]),
  );
  return `${title}\n${table}`;
}

/** Renders usage statistics as the tables `conduit usage` prints. */
export function formatUsageReport(stats: UsageStats, location: string): string {
  const range = `${stats.since ?? 'the beginning'} → ${stats.until ?? 'now'}`;
  const head = `Usage ${range}${stats.projectId ? ` for project ${stats.projectId}` : ''} (ledger: ${location})`;
  if (stats.totals.requests === 0) return `${head}\n\nNo requests recorded in this range.`;
  const totals = stats.totals;
  const parts = [
    head,
    section('By project', 'project', stats.byProject, row => row.projectId ?? '(none)'),
    ...(stats.byKey.some(row => row.apiKeyId !== null)
      ? [section('By virtual key', 'key', stats.byKey, row => row.apiKeyId ?? '(master/none)')]
      : []),
    section('By model', 'provider,model', stats.byModel, row => `${row.provider},${row.model}`),
    section('By day (UTC)', 'day', stats.byDay, row => row.day),
    formatTable([{ header: 'TOTAL' }, ...aggregateColumns], [['all', ...aggregateCells(totals)]]),
    `Error rate ${(totals.errorRate * 100).toFixed(1)}%` +
      (totals.estimatedRequests > 0
        ? `; ${totals.estimatedRequests} request(s) with estimated tokens`
        : '') +
      (totals.unpricedRequests > 0
        ? `; * ${totals.unpricedRequests} request(s) on models without a price are not in the cost (add usage.pricing)`
        : ''),
  ];
  return parts.join('\n\n');
}

/** `conduit usage`: tokens, cost, errors and latency by project, model and day from the ledger. */
export const usageCommand: CommandModule<GlobalOptions, UsageArguments> = {
  command: 'usage',
  describe: 'Usage and cost by project, model and day (from the usage ledger)',
  builder: yargs =>
    yargs
      .option('since', {
        type: 'string',
        default: '7d',
        describe:
          'Start: a duration back from now (30m, 12h, 7d, 2w), a date (2026-11-01, UTC) or ISO time',
      })
      .option('until', {
        type: 'string',
        describe: 'End (exclusive), same forms as --since; default now',
      })
      .option('project', { type: 'string', describe: 'Only this project id' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the statistics as JSON' })
      .example('$0 usage', 'the last 7 days')
      .example('$0 usage --since 2026-11-01 --until 2026-12-01 --json', 'November as JSON'),
  handler: async argv => {
    const now = new Date();
    const since = parseTimeBound(argv.since, { now, flag: '--since' });
    const until =
      argv.until === undefined ? undefined : parseTimeBound(argv.until, { now, flag: '--until' });
    if (until && until.getTime() <= since.getTime()) {
      throw new CLIError({
        message: '--until must be later than --since',
        exitCode: exitCodes.usage,
      });
    }
    const { config } = await loadCliConfig({ configPath: argv.config });
    const paths = resolveConduitPaths(process.env);
    const store = createUsageStore(config.usage.storage, { home: paths.home });
    const query = { since, until, projectId: argv.project };
    let stats: UsageStats;
    try {
      if (store.kind === 'sqlite' && !existsSync(store.location)) {
        stats = emptyStats(query);
      } else {
        stats = await store.getStats(query);
      }
    } catch (error) {
      throw new CLIError({
        message: `cannot read the usage ledger (${store.location}): ${redactText((error as Error).message)}`,
        cause: error,
      });
    } finally {
      await store.close().catch(() => {});
    }
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ ledger: store.location, ...stats }, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatUsageReport(stats, store.location)}\n`);
    }
  },
};

function emptyStats(query: { since: Date; until?: Date; projectId?: string }): UsageStats {
  const none = { p50: null, p95: null, average: null };
  return {
    projectId: query.projectId ?? null,
    since: query.since.toISOString(),
    until: query.until?.toISOString() ?? null,
    totalCost: 0,
    requestCount: 0,
    totals: {
      requests: 0,
      errors: 0,
      errorRate: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      estimatedRequests: 0,
      costUsd: 0,
      unpricedRequests: 0,
      latencyMs: none,
      ttfbMs: none,
    },
    byModel: [],
    byProvider: [],
    byAgent: [],
    byProject: [],
    byKey: [],
    byDay: [],
  };
}
