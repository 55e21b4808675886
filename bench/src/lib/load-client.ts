import { Pool } from 'undici';
import { type Summary, summarize } from './statistics.js';

/** One load run: the same POST repeated by `concurrency` workers over keep-alive connections. */
export interface LoadOptions {
  /** `http://127.0.0.1:port` */
  origin: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  concurrency: number;
  /** Measured time; the run also stops after `maxRequests`. */
  durationMs: number;
  maxRequests?: number;
  /** Keep going past `durationMs` until this many requests were measured (default: concurrency). */
  minRequests?: number;
  /** Unmeasured time first (JIT, connection set-up, caches). */
  warmupMs?: number;
  /** Checks the first response of the run; a returned string is reported as the run's error. */
  validate?: (status: number, body: string) => string | undefined;
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  /** The first problem seen (status and body start, or the validation message). */
  firstError: string | null;
  elapsedMs: number;
  requestsPerSecond: number;
  /** Request start → last body byte. */
  latencyMs: Summary;
  /** Request start → first body byte. */
  ttfbMs: Summary;
  /** SSE frames (blank-line separated) received per second, summed over workers. */
  eventsPerSecond: number;
  eventsPerResponse: number;
  bytesPerResponse: number;
}

/** Counts SSE frame ends (`\n\n`) in a chunk, carrying whether the previous chunk ended in `\n`. */
export function countFrameEnds(chunk: Buffer, previousEndedWithNewline: boolean): number {
  let count = 0;
  if (previousEndedWithNewline && chunk[0] === 10) count++;
  let index = chunk.indexOf('\n\n');
  while (index !== -1) {
    count++;
    index = chunk.indexOf('\n\n', index + 2);
  }
  return count;
}

interface Sample {
  latency: number;
  ttfb: number;
  events: number;
  bytes: number;
}

/**
 * Runs `options` and returns latency, time to first byte, throughput and SSE event rates. One
 * undici pool with `concurrency` connections and no pipelining: the cheapest client Node has, so
 * the same client measures the direct-to-mock baseline.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.origin, {
    connections: options.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const headers = { 'content-type': 'application/json', ...options.headers };
  const samples: Sample[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let validated = false;
  const warmupMs = options.warmupMs ?? 0;
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const minRequests = Math.min(options.minRequests ?? options.concurrency, maxRequests);
  let measuredEnd = measureFrom;
  let measuredStarts = 0;

  const recordError = (message: string) => {
    errors++;
    firstError ??= message;
  };

  const worker = async () => {
    for (;;) {
      const requestStarted = performance.now();
      const measuring = requestStarted >= measureFrom;
      if (measuring && measuredStarts >= maxRequests) return;
      if (requestStarted >= stopAt && measuredStarts >= minRequests) return;
      if (measuring) measuredStarts++;
      let ttfb = 0;
      let events = 0;
      let bytes = 0;
      let endedWithNewline = false;
      const keep: Buffer[] = [];
      try {
        const response = await pool.request({
          path: options.path,
          method: 'POST',
          headers,
          body: options.body,
        });
        const keepBody = !validated || response.statusCode !== 200;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          if (ttfb === 0) ttfb = performance.now() - requestStarted;
          events += countFrameEnds(chunk, endedWithNewline);
          endedWithNewline = chunk[chunk.length - 1] === 10;
          bytes += chunk.length;
          if (keepBody) keep.push(chunk);
        }
        const finished = performance.now();
        if (response.statusCode !== 200) {
          recordError(
            `HTTP ${response.statusCode}: ${Buffer.concat(keep).toString('utf8').slice(0, 300)}`,
          );
          continue;
        }
        if (!validated) {
          validated = true;
          const problem = options.validate?.(response.statusCode, Buffer.concat(keep).toString());
          if (problem) recordError(problem);
        }
        if (measuring) {
          samples.push({ latency: finished - requestStarted, ttfb, events, bytes });
          measuredEnd = Math.max(measuredEnd, finished);
        }
      } catch (error) {
        recordError(error instanceof Error ? error.message : String(error));
        if (errors > 100) return;
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await pool.close();
  }
  const elapsedMs = Math.max(1, measuredEnd - measureFrom);
  const totalEvents = samples.reduce((sum, sample) => sum + sample.events, 0);
  const totalBytes = samples.reduce((sum, sample) => sum + sample.bytes, 0);
  return {
    requests: samples.length,
    errors,
    firstError,
    elapsedMs,
    requestsPerSecond: (samples.length / elapsedMs) * 1000,
    latencyMs: summarize(samples.map(sample => sample.latency)),
    ttfbMs: summarize(samples.map(sample => sample.ttfb)),
    eventsPerSecond: (totalEvents / elapsedMs) * 1000,
    eventsPerResponse: samples.length === 0 ? 0 : totalEvents / samples.length,
    bytesPerResponse: samples.length === 0 ? 0 : totalBytes / samples.length,
  };
}
