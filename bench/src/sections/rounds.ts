import { median } from '../lib/statistics.js';

/** The numbers of one load run, trimmed for the results file. */
export interface RunNumbers {
  requests: number;
  errors: number;
  firstError: string | null;
  requestsPerSecond: number;
  medianMs: number;
  p99Ms: number;
  ttfbMedianMs: number;
  ttfbP99Ms: number;
  eventsPerSecond: number;
  eventsPerResponse: number;
}

/** A gateway's run of a scenario next to the direct baseline. */
export interface GatewayComparison extends RunNumbers {
  addedMedianMs: number;
  addedP99Ms: number;
  addedTTFBMedianMs: number | null;
  /** Gateway requests/s ÷ direct requests/s. */
  throughputRatio: number;
  /** Present when the scenario ran several rounds: the lowest and highest round. */
  spread?: ComparisonSpread;
  /**
   * The gateway process's main-thread CPU time per measured request (µs), from `/proc`; absent
   * when the gateway's process was not known.
   */
  cpuMicrosPerRequest?: number;
}

/** A number measured in several rounds: the median round and the lowest and highest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number;
}

/** Median, min and max of the rounds' values (NaN rounds are ignored). */
export function spreadOf(values: readonly number[]): Spread {
  const finite = values.filter(value => Number.isFinite(value));
  return {
    median: median(finite),
    min: finite.length > 0 ? Math.min(...finite) : Number.NaN,
    max: finite.length > 0 ? Math.max(...finite) : Number.NaN,
    rounds: finite.length,
  };
}

const numericRunFields = [
  'requests',
  'requestsPerSecond',
  'medianMs',
  'p99Ms',
  'ttfbMedianMs',
  'ttfbP99Ms',
  'eventsPerSecond',
  'eventsPerResponse',
] as const;

/**
 * Combines the rounds of one run kind into one row: each number is the median round's, errors are
 * summed (an error in any round is reported) and the first error message is kept.
 */
export function medianRun(rounds: readonly RunNumbers[]): RunNumbers {
  const combined = {
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    firstError: rounds.find(round => round.firstError !== null)?.firstError ?? null,
  } as RunNumbers;
  for (const field of numericRunFields) {
    combined[field] = median(rounds.map(round => round[field]));
  }
  return combined;
}

/** How a gateway's rounds spread: the numbers the bench's conclusions rest on. */
export interface ComparisonSpread {
  addedMedianMs: Spread;
  requestsPerSecond: Spread;
  throughputRatio: Spread;
  cpuMicrosPerRequest?: Spread;
}

/** A gateway's row over several rounds: median numbers, with the spread across rounds. */
export interface RoundedComparison extends GatewayComparison {
  spread: ComparisonSpread;
}

/** Combines one gateway's per-round comparisons (each against its own round's direct run). */
export function medianComparison(rounds: readonly GatewayComparison[]): RoundedComparison {
  const run = medianRun(rounds);
  const added = rounds.map(round => round.addedMedianMs);
  const ttfb = rounds.map(round => round.addedTTFBMedianMs);
  const cpu = rounds.flatMap(round =>
    round.cpuMicrosPerRequest === undefined ? [] : [round.cpuMicrosPerRequest],
  );
  const cpuSpread = cpu.length > 0 ? spreadOf(cpu) : undefined;
  return {
    ...run,
    ...(cpuSpread ? { cpuMicrosPerRequest: cpuSpread.median } : {}),
    addedMedianMs: median(added),
    addedP99Ms: median(rounds.map(round => round.addedP99Ms)),
    addedTTFBMedianMs: ttfb.every(value => value === null) ? null : median(ttfb.map(Number)),
    throughputRatio: median(rounds.map(round => round.throughputRatio)),
    spread: {
      addedMedianMs: spreadOf(added),
      requestsPerSecond: spreadOf(rounds.map(round => round.requestsPerSecond)),
      throughputRatio: spreadOf(rounds.map(round => round.throughputRatio)),
      ...(cpuSpread ? { cpuMicrosPerRequest: cpuSpread } : {}),
    },
  };
}

/**
 * Conduit against claude-code-router, ratio by ratio within each round (both measured back to
 * back against the same mock, so they share that round's noise): >1 means Conduit is ahead.
 */
export interface HeadToHead {
  /** CCR's added median ÷ Conduit's. */
  addedMedian: Spread;
  /** Conduit's requests/s ÷ CCR's. */
  requestsPerSecond: Spread;
}

/** Per-round ratios of two gateways' comparisons (rounds paired by index). */
export function headToHead(
  conduit: readonly GatewayComparison[],
  ccr: readonly GatewayComparison[],
): HeadToHead {
  const pairs = conduit.slice(0, ccr.length).map((ours, index) => [ours, ccr[index]!] as const);
  return {
    addedMedian: spreadOf(
      pairs.map(([ours, theirs]) =>
        ours.addedMedianMs > 0 ? theirs.addedMedianMs / ours.addedMedianMs : Number.NaN,
      ),
    ),
    requestsPerSecond: spreadOf(
      pairs.map(([ours, theirs]) => ours.requestsPerSecond / theirs.requestsPerSecond),
    ),
  };
}
