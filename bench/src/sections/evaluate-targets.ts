import type { BenchResults } from '../bench-results.js';
import type { GatewayComparison, OverheadResult } from './overhead.js';
import type { Spread } from './rounds.js';
import { type TargetCheck, checkTarget, quotedCCRClaudeCodeThroughput } from './targets.js';

function findRow(rows: OverheadResult[], id: string): OverheadResult | undefined {
  return rows.find(row => row.scenario.id === id);
}

const withoutMedian = (spread: Spread | undefined) =>
  spread ? { min: spread.min, max: spread.max, rounds: spread.rounds } : undefined;

/** Added-latency targets at c=1 (issue 10; issue 20 keeps them). */
function latencyTargets(overhead: OverheadResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const upstream of ['openai', 'anthropic'] as const) {
    const label = upstream === 'openai' ? 'OpenAI translation' : 'Anthropic passthrough';
    for (const [body, name, threshold] of [
      ['small', 'small request', 0.5],
      ['claude-code', 'Claude Code request', 3],
    ] as const) {
      for (const format of ['json', 'sse'] as const) {
        const id = `${body}/${upstream}/${format}/c1`;
        const conduit: GatewayComparison | undefined = findRow(overhead, id)?.gateways.conduit;
        checks.push(
          checkTarget({
            target: `added median latency, ${name}, ${label}, ${format.toUpperCase()}, c=1`,
            comparison: '<=',
            threshold,
            unit: 'ms',
            measured: conduit?.addedMedianMs ?? null,
            spread: withoutMedian(conduit?.spread?.addedMedianMs),
            source: `overhead ${id}`,
          }),
        );
      }
    }
  }
  return checks;
}

/**
 * Issue 20: on every overhead row both gateways ran, Conduit adds less latency and serves more
 * requests per second than CCR. The measured number is the worse of the two head-to-head ratios
 * (each ≥ 1 when Conduit is ahead), taken round by round.
 */
function headToHeadTargets(overhead: OverheadResult[]): TargetCheck[] {
  return overhead.flatMap(row => {
    const versus = row.conduitVsCCR;
    if (!versus) return [];
    const worse =
      versus.addedMedian.median <= versus.requestsPerSecond.median
        ? versus.addedMedian
        : versus.requestsPerSecond;
    return [
      checkTarget({
        target: `ahead of claude-code-router, ${row.scenario.id} (worse of CCR ÷ Conduit added median and Conduit ÷ CCR req/s)`,
        comparison: '>=',
        threshold: 1,
        unit: '×',
        measured: Number.isFinite(worse.median) ? worse.median : null,
        spread: withoutMedian(worse),
        source: `overhead ${row.scenario.id}, per-round ratios`,
      }),
    ];
  });
}

function claudeCodeThroughputTargets(overhead: OverheadResult[]): TargetCheck[] {
  return (['json', 'sse'] as const).map(format => {
    const id = `claude-code/openai/${format}/c32`;
    const row = findRow(overhead, id);
    const versus = row?.conduitVsCCR?.requestsPerSecond;
    const conduit = row?.gateways.conduit?.requestsPerSecond;
    return checkTarget({
      target: `throughput on the Claude Code request vs claude-code-router, OpenAI translation, ${format.toUpperCase()}, c=32`,
      comparison: '>=',
      threshold: 20,
      unit: '×',
      measured: versus
        ? versus.median
        : conduit === undefined
          ? null
          : conduit / quotedCCRClaudeCodeThroughput,
      spread: withoutMedian(versus),
      source: versus
        ? `overhead ${id}, conduit ÷ ccr req/s per round`
        : `overhead ${id} ÷ the ${quotedCCRClaudeCodeThroughput} req/s quoted in issue 10 (CCR not measured)`,
    });
  });
}

/** Issue 20: unpaced (long) streams ≥ 0.25× direct, paced streams ≥ 0.95× direct. */
function streamTargets(endToEnd: OverheadResult[]): TargetCheck[] {
  return endToEnd.map(row => {
    const conduit = row.gateways.conduit;
    const paced = row.scenario.id.startsWith('paced/');
    return checkTarget({
      target: `streaming throughput vs direct, ${row.scenario.id}`,
      comparison: '>=',
      threshold: paced ? 0.95 : 0.25,
      unit: '× direct',
      measured: conduit?.throughputRatio ?? null,
      spread: withoutMedian(conduit?.spread?.throughputRatio),
      source: `streams ${row.scenario.id}: gateway streams/s ÷ direct streams/s`,
    });
  });
}

/** Checks every target of issues 10, 16 and 20 against a run's numbers. */
export function evaluateTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const { overhead, memory, coldStart, routing } = results;
  return [
    ...latencyTargets(overhead),
    ...claudeCodeThroughputTargets(overhead),
    ...headToHeadTargets(overhead),
    ...streamTargets(results.streaming.endToEnd),
    checkTarget({
      target: 'idle resident memory of the gateway',
      comparison: '<=',
      threshold: 60,
      unit: 'MB',
      measured: memory.idleMB,
      source: 'memory: VmRSS one second after start',
    }),
    checkTarget({
      target: `peak resident memory under load (${memory.requests} requests, daemon heap flags)`,
      comparison: '<=',
      threshold: 200,
      unit: 'MB',
      measured: memory.peakMB,
      source: 'memory: highest VmRSS sampled during the load',
    }),
    checkTarget({
      target: `resident memory after ${memory.requests} requests (daemon heap flags)`,
      comparison: '<=',
      threshold: 200,
      unit: 'MB',
      measured: memory.afterAllMB,
      source: 'memory: VmRSS after the load settled',
    }),
    checkTarget({
      target: 'cold start to first /health 200 (with config)',
      comparison: '<=',
      threshold: 250,
      unit: 'ms',
      measured: coldStart.withConfigMs.median,
      spread: {
        min: coldStart.withConfigMs.min,
        max: coldStart.withConfigMs.max,
        rounds: coldStart.withConfigMs.count,
      },
      source: 'cold start, median of the runs',
    }),
    checkTarget({
      target: 'library routing vs spawning the CLI (warm route)',
      comparison: '>=',
      threshold: 1000,
      unit: '×',
      measured: routing.speedupWarm,
      source: 'routing: CLI wall ÷ library route median',
    }),
    checkTarget({
      target:
        'seed plan: library usage 10x faster than CLI spawning (library routing vs spawning the CLI, cold router)',
      comparison: '>=',
      threshold: 10,
      unit: '×',
      measured: routing.speedupCold,
      source: 'routing: CLI wall ÷ fresh-router route median',
    }),
    checkTarget({
      target:
        'seed plan: memory footprint 50% lower than CLI spawning (library memory vs the CLI process)',
      comparison: '<=',
      threshold: 0.5,
      unit: '× CLI max RSS',
      measured: routing.memoryFraction,
      source: 'routing: library RSS delta ÷ CLI max RSS',
    }),
    checkTarget({
      target: 'issue 20: library memory vs the CLI process',
      comparison: '<=',
      threshold: 0.3,
      unit: '× CLI max RSS',
      measured: routing.memoryFraction,
      source: 'routing: library RSS delta ÷ CLI max RSS',
    }),
  ];
}
