import type { MessagesRequest } from '@conduit/core';
import {
  type GatewayComparison,
  type MatrixGateway,
  type OverheadScenario,
  type RunNumbers,
  compareToDirect,
  runDirect,
  runThroughGateway,
} from './overhead.js';

/** What the warm-up did, and the first seconds it measured on the way. */
export interface WarmUpResult {
  /** Seconds each request shape was served through each gateway. */
  secondsPerShape: number;
  /** Distinct request shapes served (body, upstream, stream, door, upstream path). */
  shapes: number;
  /**
   * The first run of the first shape, right after each gateway started (V8 has not compiled the
   * hot path yet): reported for reference, no target applies to it.
   */
  justAfterStart?: {
    scenario: string;
    durationMs: number;
    direct: RunNumbers;
    gateways: Record<string, GatewayComparison>;
  };
}

/** The part of a scenario that decides which code a request runs (concurrency does not). */
const shapeOf = (scenario: OverheadScenario) =>
  [scenario.body, scenario.upstream, scenario.stream, scenario.door ?? '', scenario.provider].join(
    ' ',
  );

/**
 * Serves every request shape of `scenarios` through every gateway before anything is measured.
 *
 * A Node process runs its first few thousand requests in V8's interpreter and baseline tiers
 * while the optimizing compiler works on other threads (on the 2-core bench machine a small
 * request costs about twice the CPU in the first seconds); a gateway in use has long passed that.
 * Every gateway, claude-code-router included, gets the same warm-up, so the matrix compares
 * steady states. The very first run is kept as the "just after start" reference.
 */
export async function warmUpGateways(options: {
  scenarios: OverheadScenario[];
  gateways: MatrixGateway[];
  mockURL: string;
  requestFor: (scenario: OverheadScenario) => MessagesRequest;
  secondsPerShape: number;
  log: (line: string) => void;
}): Promise<WarmUpResult> {
  const shapes = new Map<string, OverheadScenario>();
  for (const scenario of options.scenarios) {
    const shape = shapeOf(scenario);
    if (!shapes.has(shape)) shapes.set(shape, scenario);
  }
  const result: WarmUpResult = { secondsPerShape: options.secondsPerShape, shapes: shapes.size };
  if (options.secondsPerShape <= 0) return result;
  const timing = { warmupMs: 0, durationMs: options.secondsPerShape * 1000 };
  const [first] = shapes.values();
  if (first) {
    const direct = await runDirect(first, options.requestFor(first), options.mockURL, timing);
    result.justAfterStart = {
      scenario: first.id,
      durationMs: timing.durationMs,
      direct,
      gateways: {},
    };
  }
  // Shape by shape, every gateway in turn (as the matrix runs): warmed gateway by gateway, the
  // first would sit idle through the others' warm-up, and a Node process back from half a minute
  // idle (heap shrunk, young generation small again) spends its first seconds of load at up to
  // 1.5× the CPU per request, which landed on the matrix's first row.
  for (const scenario of shapes.values()) {
    for (const gateway of options.gateways) {
      if (!(gateway.accepts?.(scenario) ?? true)) continue;
      const through = await runThroughGateway(
        scenario,
        options.requestFor(scenario),
        gateway.url,
        timing,
      );
      const justAfterStart = result.justAfterStart;
      if (scenario === first && justAfterStart) {
        const comparison = compareToDirect(through, justAfterStart.direct, scenario.stream);
        justAfterStart.gateways[gateway.name] = comparison;
        options.log(
          `${gateway.name} just after start, ${scenario.id}: +${comparison.addedMedianMs.toFixed(3)} ms median`,
        );
      }
    }
  }
  options.log(
    `${options.gateways.map(gateway => gateway.name).join(' and ')} warmed up: ${shapes.size} shapes × ${options.secondsPerShape} s each`,
  );
  return result;
}
