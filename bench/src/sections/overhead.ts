import type { MessagesRequest } from '@conduit/core';
import { type LoadResult, runLoad } from '../lib/load-client.js';
import {
  type BodyKind,
  type ClientDoor,
  type UpstreamKind,
  createScenarioBodies,
  createValidator,
  directHeaders,
  gatewayHeaders,
  openAIGatewayHeaders,
} from './bench-requests.js';

/** One overhead scenario: a body, an upstream protocol, streaming or not, a concurrency. */
export interface OverheadScenario {
  id: string;
  body: BodyKind;
  upstream: UpstreamKind;
  stream: boolean;
  concurrency: number;
  /** Gateway provider name (the mock path follows from it). */
  provider: string;
  pathPrefix: string;
  /** Scenarios with a delayed upstream report overhead only, not a throughput ratio. */
  note?: string;
  /** The API the client speaks to the gateway; Anthropic Messages when absent. */
  door?: ClientDoor;
}

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
}

/** A scenario's results: the direct baseline and each gateway measured. */
export interface OverheadResult {
  scenario: OverheadScenario;
  direct: RunNumbers;
  gateways: Record<string, GatewayComparison>;
}

/** The matrix: 2 bodies × 2 upstreams × stream or not × concurrency 1 and 32, plus a delayed upstream. */
export function createOverheadScenarios(): OverheadScenario[] {
  const scenarios: OverheadScenario[] = [];
  for (const body of ['small', 'claude-code'] as const) {
    for (const upstream of ['openai', 'anthropic'] as const) {
      for (const stream of [false, true]) {
        for (const concurrency of [1, 32]) {
          scenarios.push({
            id: `${body}/${upstream}/${stream ? 'sse' : 'json'}/c${concurrency}`,
            body,
            upstream,
            stream,
            concurrency,
            provider: upstream === 'openai' ? 'mock-openai' : 'mock-anthropic',
            pathPrefix: '',
          });
        }
      }
    }
  }
  // The OpenAI door (`/v1/chat/completions`) with the same Claude Code conversation, next to the
  // Anthropic rows above: OpenAI in → Conduit → OpenAI (near-passthrough) or Anthropic upstream.
  for (const upstream of ['openai', 'anthropic'] as const) {
    for (const stream of [false, true]) {
      for (const concurrency of [1, 32]) {
        scenarios.push({
          id: `openai-door/claude-code/${upstream}/${stream ? 'sse' : 'json'}/c${concurrency}`,
          body: 'claude-code',
          upstream,
          stream,
          concurrency,
          provider: upstream === 'openai' ? 'mock-openai' : 'mock-anthropic',
          pathPrefix: '',
          door: 'openai-chat',
        });
      }
    }
  }
  for (const concurrency of [1, 32]) {
    scenarios.push({
      id: `small/openai-delay-50ms/json/c${concurrency}`,
      body: 'small',
      upstream: 'openai',
      stream: false,
      concurrency,
      provider: 'mock-openai-delay',
      pathPrefix: '/delay-50',
      note: 'upstream answers after 50 ms',
    });
  }
  return scenarios;
}

/** Trims a load result to the numbers reported. */
export function toRunNumbers(result: LoadResult): RunNumbers {
  return {
    requests: result.requests,
    errors: result.errors,
    firstError: result.firstError,
    requestsPerSecond: result.requestsPerSecond,
    medianMs: result.latencyMs.median,
    p99Ms: result.latencyMs.p99,
    ttfbMedianMs: result.ttfbMs.median,
    ttfbP99Ms: result.ttfbMs.p99,
    eventsPerSecond: result.eventsPerSecond,
    eventsPerResponse: result.eventsPerResponse,
  };
}

/** A gateway run set against the direct baseline. */
export function compareToDirect(
  gateway: RunNumbers,
  direct: RunNumbers,
  stream: boolean,
): GatewayComparison {
  return {
    ...gateway,
    addedMedianMs: gateway.medianMs - direct.medianMs,
    addedP99Ms: gateway.p99Ms - direct.p99Ms,
    addedTTFBMedianMs: stream ? gateway.ttfbMedianMs - direct.ttfbMedianMs : null,
    throughputRatio: gateway.requestsPerSecond / direct.requestsPerSecond,
  };
}

/** Timing of each run. */
export interface RunTiming {
  warmupMs: number;
  durationMs: number;
}

/** Runs a scenario straight against the mock. */
export async function runDirect(
  scenario: OverheadScenario,
  request: MessagesRequest,
  mockURL: string,
  timing: RunTiming,
): Promise<RunNumbers> {
  const bodies = createScenarioBodies({ request, ...scenario });
  const result = await runLoad({
    origin: mockURL,
    path: bodies.directPath,
    body: bodies.direct,
    headers: directHeaders(scenario.upstream),
    concurrency: scenario.concurrency,
    ...timing,
    validate: createValidator({ format: scenario.upstream, stream: scenario.stream }),
  });
  return toRunNumbers(result);
}

/** Runs a scenario through a gateway's `/v1/messages`. */
export async function runThroughGateway(
  scenario: OverheadScenario,
  request: MessagesRequest,
  gatewayURL: string,
  timing: RunTiming,
): Promise<RunNumbers> {
  const bodies = createScenarioBodies({ request, ...scenario });
  const openAIDoor = scenario.door === 'openai-chat';
  const result = await runLoad({
    origin: gatewayURL,
    path: bodies.gatewayPath,
    body: bodies.gateway,
    headers: openAIDoor ? openAIGatewayHeaders : gatewayHeaders,
    concurrency: scenario.concurrency,
    ...timing,
    validate: createValidator({
      format: openAIDoor ? 'openai' : 'anthropic',
      stream: scenario.stream,
    }),
  });
  return toRunNumbers(result);
}

/** End-to-end streams: the long instant stream (gateway capacity) and a paced one (a fast model). */
export function createStreamScenarios(): OverheadScenario[] {
  const stream = (
    id: string,
    upstream: UpstreamKind,
    concurrency: number,
    provider: string,
    pathPrefix: string,
    note?: string,
  ): OverheadScenario => ({
    id,
    body: 'small',
    upstream,
    stream: true,
    concurrency,
    provider,
    pathPrefix,
    ...(note ? { note } : {}),
  });
  return [
    stream('long/openai/sse/c1', 'openai', 1, 'mock-openai-long', '/long'),
    stream('long/openai/sse/c8', 'openai', 8, 'mock-openai-long', '/long'),
    stream('long/anthropic/sse/c8', 'anthropic', 8, 'mock-anthropic-long', '/long'),
    stream(
      'paced/openai/sse/c8',
      'openai',
      8,
      'mock-openai-paced',
      '/paced',
      'upstream writes one frame per millisecond, like a fast model',
    ),
  ];
}

/**
 * Runs each scenario through `gateway`, measuring the direct baseline the first time a scenario is
 * seen (later gateways are compared to the same baseline), and stores the comparison in `results`.
 */
export async function runScenarioMatrix(options: {
  scenarios: OverheadScenario[];
  gateway: { name: string; url: string };
  results: Map<string, OverheadResult>;
  mockURL: string;
  timing: RunTiming;
  requestFor: (scenario: OverheadScenario) => MessagesRequest;
  log: (line: string) => void;
}): Promise<void> {
  const { gateway, results, timing } = options;
  for (const scenario of options.scenarios) {
    const request = options.requestFor(scenario);
    let result = results.get(scenario.id);
    if (!result) {
      const direct = await runDirect(scenario, request, options.mockURL, timing);
      result = { scenario, direct, gateways: {} };
      results.set(scenario.id, result);
    }
    const through = await runThroughGateway(scenario, request, gateway.url, timing);
    const comparison = compareToDirect(through, result.direct, scenario.stream);
    result.gateways[gateway.name] = comparison;
    const errors = comparison.errors
      ? `, ${comparison.errors} errors: ${comparison.firstError}`
      : '';
    options.log(
      `${gateway.name} ${scenario.id}: +${comparison.addedMedianMs.toFixed(3)} ms median, ${comparison.requestsPerSecond.toFixed(0)} req/s (direct ${result.direct.requestsPerSecond.toFixed(0)})${errors}`,
    );
  }
}
