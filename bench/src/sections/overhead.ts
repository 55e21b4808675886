import type { MessagesRequest } from '@conduit/core';
import { LoadSession, type LoadResult, runLoad } from '../lib/load-client.js';
import { readThreadCPU } from '../lib/processes.js';
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
import {
  type GatewayComparison,
  type HeadToHead,
  type RunNumbers,
  headToHead,
  medianComparison,
  medianRun,
} from './rounds.js';

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

export type { GatewayComparison, RunNumbers } from './rounds.js';

/** A scenario's results: the direct baseline and each gateway measured. */
export interface OverheadResult {
  scenario: OverheadScenario;
  direct: RunNumbers;
  gateways: Record<string, GatewayComparison>;
  /** Conduit ÷ CCR per round, when both gateways ran the scenario. */
  conduitVsCCR?: HeadToHead;
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

/** A gateway the matrix measures; `accepts` skips scenarios it cannot serve (CCR has no OpenAI door). */
export interface MatrixGateway {
  name: string;
  url: string;
  /** The gateway's process, whose CPU time per request is reported beside its latency. */
  pid?: number;
  accepts?: (scenario: OverheadScenario) => boolean;
}

/** One client of a round: direct to the mock or through a gateway. */
interface RoundClient {
  name: string;
  session: LoadSession;
  pid?: number;
  cpuNs: number;
}

/**
 * One round of a scenario. Every client warms up, then the measured time is cut into `slices`
 * short slices that take turns (direct, Conduit, CCR, then the reverse order), so a noisy minute
 * on the machine lands on the direct baseline and on the gateways alike. Each client's slices add
 * up to its run. The gateways' CPU time (main thread, from `/proc`) is summed over their slices.
 */
async function runRound(options: {
  scenario: OverheadScenario;
  request: MessagesRequest;
  mockURL: string;
  gateways: MatrixGateway[];
  timing: RunTiming;
  slices: number;
}): Promise<{ direct: RunNumbers; gateways: Map<string, GatewayComparison> }> {
  const { scenario, timing } = options;
  const bodies = createScenarioBodies({ request: options.request, ...scenario });
  const openAIDoor = scenario.door === 'openai-chat';
  const clients: RoundClient[] = [
    {
      name: 'direct',
      cpuNs: 0,
      session: new LoadSession({
        origin: options.mockURL,
        path: bodies.directPath,
        body: bodies.direct,
        headers: directHeaders(scenario.upstream),
        concurrency: scenario.concurrency,
        validate: createValidator({ format: scenario.upstream, stream: scenario.stream }),
      }),
    },
    ...options.gateways.map(gateway => ({
      name: gateway.name,
      cpuNs: 0,
      ...(gateway.pid === undefined ? {} : { pid: gateway.pid }),
      session: new LoadSession({
        origin: gateway.url,
        path: bodies.gatewayPath,
        body: bodies.gateway,
        headers: openAIDoor ? openAIGatewayHeaders : gatewayHeaders,
        concurrency: scenario.concurrency,
        validate: createValidator({
          format: openAIDoor ? 'openai' : 'anthropic',
          stream: scenario.stream,
        }),
      }),
    })),
  ];
  try {
    for (const client of clients) {
      await client.session.run({ durationMs: timing.warmupMs, measure: false });
    }
    const sliceMs = timing.durationMs / options.slices;
    for (let slice = 0; slice < options.slices; slice++) {
      for (const client of slice % 2 === 0 ? clients : [...clients].reverse()) {
        const before = client.pid === undefined ? undefined : readThreadCPU(client.pid);
        await client.session.run({ durationMs: sliceMs, measure: true });
        if (before && client.pid !== undefined) {
          client.cpuNs += readThreadCPU(client.pid).mainNs - before.mainNs;
        }
      }
    }
  } finally {
    await Promise.all(clients.map(client => client.session.close()));
  }
  const [directClient, ...gatewayClients] = clients;
  const direct = toRunNumbers(directClient!.session.result());
  const gateways = new Map<string, GatewayComparison>();
  for (const client of gatewayClients) {
    const through = toRunNumbers(client.session.result());
    const comparison = compareToDirect(through, direct, scenario.stream);
    if (client.pid !== undefined && through.requests > 0) {
      comparison.cpuMicrosPerRequest = client.cpuNs / 1e3 / through.requests;
    }
    gateways.set(client.name, comparison);
  }
  return { direct, gateways };
}

/**
 * Runs each scenario `rounds` times. A round measures the direct baseline and every gateway in
 * turns (the gateways' order alternates between rounds; at concurrency 1 the measured time is cut
 * into `slices` interleaved slices, see {@link runRound}), and each gateway is compared to its own
 * round's baseline. Rounds are the outer loop: round 1 of every scenario, then round 2 of every
 * scenario, and so on, so a scenario's rounds are minutes apart and a slow minute of the machine
 * lands on one round of several rows instead of on every round of one row (on this 2-core machine
 * the same build's CPU per request has doubled for a minute at a time). The stored row holds the
 * median round with the spread across rounds, and, when both ran, Conduit against CCR ratio by
 * ratio.
 */
export async function runScenarioMatrix(options: {
  scenarios: OverheadScenario[];
  gateways: MatrixGateway[];
  results: Map<string, OverheadResult>;
  mockURL: string;
  timing: RunTiming;
  requestFor: (scenario: OverheadScenario) => MessagesRequest;
  log: (line: string) => void;
  /** Rounds per scenario; 1 when absent. */
  rounds?: number;
  /**
   * Interleaved slices per round at concurrency 1 (1 when absent). Higher concurrencies run in one
   * slice: each slice ends by draining its workers, which would eat into a short slice's rate.
   */
  slicesAtConcurrency1?: number;
}): Promise<void> {
  const { results, timing } = options;
  const rounds = Math.max(1, options.rounds ?? 1);
  const rows = options.scenarios.map(scenario => {
    const gateways = options.gateways.filter(gateway => gateway.accepts?.(scenario) ?? true);
    return {
      scenario,
      request: options.requestFor(scenario),
      gateways,
      slices: scenario.concurrency === 1 ? Math.max(1, options.slicesAtConcurrency1 ?? 1) : 1,
      directs: [] as RunNumbers[],
      comparisons: new Map<string, GatewayComparison[]>(gateways.map(({ name }) => [name, []])),
    };
  });
  for (let round = 0; round < rounds; round++) {
    for (const row of rows) {
      const { scenario } = row;
      const order = round % 2 === 0 ? row.gateways : [...row.gateways].reverse();
      const measured = await runRound({
        scenario,
        request: row.request,
        mockURL: options.mockURL,
        gateways: order,
        timing,
        slices: row.slices,
      });
      row.directs.push(measured.direct);
      for (const gateway of order) {
        const comparison = measured.gateways.get(gateway.name)!;
        row.comparisons.get(gateway.name)!.push(comparison);
        const errors = comparison.errors
          ? `, ${comparison.errors} errors: ${comparison.firstError}`
          : '';
        const cpu =
          comparison.cpuMicrosPerRequest === undefined
            ? ''
            : `, ${comparison.cpuMicrosPerRequest.toFixed(0)} µs CPU/request`;
        options.log(
          `${gateway.name} ${scenario.id} (round ${round + 1}/${rounds}): +${comparison.addedMedianMs.toFixed(3)} ms median, ${comparison.requestsPerSecond.toFixed(0)} req/s (direct ${measured.direct.requestsPerSecond.toFixed(0)})${cpu}${errors}`,
        );
      }
    }
  }
  for (const { scenario, directs, comparisons } of rows) {
    const result: OverheadResult = { scenario, direct: medianRun(directs), gateways: {} };
    for (const [name, rowsOfGateway] of comparisons) {
      result.gateways[name] = medianComparison(rowsOfGateway);
    }
    const conduit = comparisons.get('conduit');
    const ccr = comparisons.get('ccr');
    if (conduit?.length && ccr?.length) result.conduitVsCCR = headToHead(conduit, ccr);
    results.set(scenario.id, result);
  }
}
