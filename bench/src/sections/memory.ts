import { runLoad } from '../lib/load-client.js';
import { startConduit } from '../lib/gateways.js';
import { readResidentMemory } from '../lib/processes.js';
import {
  createScenarioBodies,
  createSmallRequest,
  createValidator,
  gatewayHeaders,
} from './bench-requests.js';

/** Resident memory of the gateway process, sampled from `/proc/<pid>/status`. */
export interface MemoryResult {
  /** `settleMs` after the first successful `/health`, before any request. */
  idleMB: number;
  /** Highest RSS while serving (`VmHWM`). */
  peakMB: number;
  /** After the first tenth of the requests and a second of rest. */
  afterWarmupMB: number;
  /** After all requests and two seconds of rest. */
  afterAllMB: number;
  /** afterAll − afterWarmup: growth over the remaining nine tenths. */
  growthMB: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
}

const rest = (milliseconds: number) => new Promise(resolve => setTimeout(resolve, milliseconds));

/**
 * A fresh `conduit start`, then `totalRequests` small requests through the OpenAI translation path
 * (half JSON, half streamed) at concurrency 32, sampling its resident memory from outside.
 */
export async function measureMemory(options: {
  mockURL: string;
  totalRequests: number;
  /** Node flags of the gateway (e.g. a capped heap, to tell a leak from lazy collection). */
  nodeFlags?: string[];
  /** Rest before each sample (default 1000 ms; the final sample rests twice as long). */
  settleMs?: number;
  /** Another build of the CLI's `cli.js` (see `startConduit`). */
  cli?: string;
}): Promise<MemoryResult> {
  const settleMs = options.settleMs ?? 1000;
  const gateway = await startConduit({
    mockURL: options.mockURL,
    nodeFlags: options.nodeFlags,
    cliEntry: options.cli,
  });
  try {
    await rest(settleMs);
    const idle = readResidentMemory(gateway.process.pid);
    const request = createSmallRequest();
    const bodies = (stream: boolean) =>
      createScenarioBodies({ request, upstream: 'openai', provider: 'mock-openai', stream })
        .gateway;
    let requests = 0;
    let errors = 0;
    let elapsed = 0;
    const serve = async (count: number) => {
      const started = performance.now();
      const half = Math.ceil(count / 2);
      const results = await Promise.all(
        [false, true].map(stream =>
          runLoad({
            origin: gateway.url,
            path: '/v1/messages',
            body: bodies(stream),
            headers: gatewayHeaders,
            concurrency: 16,
            durationMs: 600_000,
            maxRequests: half,
            validate: createValidator({ format: 'anthropic', stream }),
          }),
        ),
      );
      elapsed += performance.now() - started;
      for (const result of results) {
        requests += result.requests;
        errors += result.errors;
      }
    };
    const warmupCount = Math.max(2, Math.round(options.totalRequests / 10));
    await serve(warmupCount);
    await rest(settleMs);
    const afterWarmup = readResidentMemory(gateway.process.pid);
    await serve(options.totalRequests - warmupCount);
    await rest(2 * settleMs);
    const afterAll = readResidentMemory(gateway.process.pid);
    return {
      idleMB: idle.rssMB,
      peakMB: afterAll.peakMB,
      afterWarmupMB: afterWarmup.rssMB,
      afterAllMB: afterAll.rssMB,
      growthMB: afterAll.rssMB - afterWarmup.rssMB,
      requests,
      errors,
      requestsPerSecond: (requests / elapsed) * 1000,
    };
  } finally {
    await gateway.stop();
  }
}
