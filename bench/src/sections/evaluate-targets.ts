import type { BenchResults } from '../bench-results.js';
import type { GatewayComparison, OverheadResult } from './overhead.js';
import { type TargetCheck, checkTarget, quotedCCRClaudeCodeThroughput } from './targets.js';

function findGateway(
  rows: OverheadResult[],
  id: string,
  gateway: string,
): GatewayComparison | undefined {
  return rows.find(row => row.scenario.id === id)?.gateways[gateway];
}

/** Checks every target of issue 10 against a run's numbers. */
export function evaluateTargets(results: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const conduit = (id: string) => findGateway(results.overhead, id, 'conduit');
  for (const upstream of ['openai', 'anthropic'] as const) {
    const label = upstream === 'openai' ? 'OpenAI translation' : 'Anthropic passthrough';
    for (const format of ['json', 'sse'] as const) {
      checks.push(
        checkTarget({
          target: `added median latency, small request, ${label}, ${format.toUpperCase()}, c=1`,
          comparison: '<',
          threshold: 0.5,
          unit: 'ms',
          measured: conduit(`small/${upstream}/${format}/c1`)?.addedMedianMs ?? null,
          source: `overhead small/${upstream}/${format}/c1`,
        }),
      );
    }
    for (const format of ['json', 'sse'] as const) {
      checks.push(
        checkTarget({
          target: `added median latency, Claude Code request, ${label}, ${format.toUpperCase()}, c=1`,
          comparison: '<',
          threshold: 3,
          unit: 'ms',
          measured: conduit(`claude-code/${upstream}/${format}/c1`)?.addedMedianMs ?? null,
          source: `overhead claude-code/${upstream}/${format}/c1`,
        }),
      );
    }
  }
  for (const format of ['json', 'sse'] as const) {
    const id = `claude-code/openai/${format}/c32`;
    const ccr = findGateway(results.overhead, id, 'ccr')?.requestsPerSecond;
    const baseline = ccr ?? quotedCCRClaudeCodeThroughput;
    const measured = conduit(id)?.requestsPerSecond;
    checks.push(
      checkTarget({
        target: `throughput on the Claude Code request vs claude-code-router, OpenAI translation, ${format.toUpperCase()}, c=32`,
        comparison: '>=',
        threshold: 20,
        unit: '×',
        measured: measured === undefined ? null : measured / baseline,
        source:
          ccr === undefined
            ? `overhead ${id} ÷ the ${quotedCCRClaudeCodeThroughput} req/s quoted in the issue (CCR not measured)`
            : `overhead ${id}, conduit ÷ ccr req/s`,
      }),
    );
  }
  for (const row of results.streaming.endToEnd) {
    const comparison = row.gateways.conduit;
    checks.push(
      checkTarget({
        target: `streaming throughput vs direct, ${row.scenario.id}`,
        comparison: '>=',
        threshold: 0.95,
        unit: '× direct',
        measured: comparison?.throughputRatio ?? null,
        source: `streams ${row.scenario.id}: gateway streams/s ÷ direct streams/s`,
      }),
    );
  }
  checks.push(
    checkTarget({
      target: 'idle resident memory of the gateway',
      comparison: '<',
      threshold: 60,
      unit: 'MB',
      measured: results.memory.idleMB,
      source: 'memory: VmRSS one second after start',
    }),
    checkTarget({
      target: 'cold start to first /health 200 (with config)',
      comparison: '<',
      threshold: 300,
      unit: 'ms',
      measured: results.coldStart.withConfigMs.median,
      source: 'cold start, median',
    }),
    checkTarget({
      target: 'library routing vs spawning the CLI (warm route)',
      comparison: '>=',
      threshold: 1000,
      unit: '×',
      measured: results.routing.speedupWarm,
      source: 'routing: CLI wall ÷ library route median',
    }),
    checkTarget({
      target:
        'seed plan: library usage 10x faster than CLI spawning (library routing vs spawning the CLI, cold router)',
      comparison: '>=',
      threshold: 10,
      unit: '×',
      measured: results.routing.speedupCold,
      source: 'routing: CLI wall ÷ fresh-router route median',
    }),
    checkTarget({
      target:
        'seed plan: memory footprint 50% lower than CLI spawning (library memory vs the CLI process)',
      comparison: '<',
      threshold: 0.5,
      unit: '× CLI max RSS',
      measured: results.routing.memoryFraction,
      source: 'routing: library RSS delta ÷ CLI max RSS',
    }),
  );
  return checks;
}
