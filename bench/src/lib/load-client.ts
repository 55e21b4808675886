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
  /** The measured windows' total length. */
  elapsedMs: number;
  /** Responses served inside the measured windows (one straddling a window's end pro rata) ÷ their length. */
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
  /** `performance.now()` at the request's start. */
  start: number;
  latency: number;
  ttfb: number;
  events: number;
  bytes: number;
}

/** What a session needs: the request and the client, without the run's timing. */
export type LoadSessionOptions = Omit<
  LoadOptions,
  'durationMs' | 'maxRequests' | 'minRequests' | 'warmupMs'
>;

/**
 * One client held open across several runs (slices), so runs of different targets can be
 * interleaved in short slices without new connections, and the slices' samples add up to one
 * result. One undici pool with `concurrency` connections and no pipelining: the cheapest client
 * Node has, so the same client measures the direct-to-mock baseline.
 */
export class LoadSession {
  private readonly pool: Pool;
  private readonly headers: Record<string, string>;
  private readonly samples: Sample[] = [];
  private errors = 0;
  private firstError: string | null = null;
  private validated = false;
  private measuredMs = 0;
  /** Responses inside the measured windows, a response that straddles a window's end pro rata. */
  private windowResponses = 0;

  constructor(private readonly options: LoadSessionOptions) {
    this.pool = new Pool(options.origin, {
      connections: options.concurrency,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    this.headers = { 'content-type': 'application/json', ...options.headers };
  }

  /** Number of measured responses so far. */
  get measuredRequests(): number {
    return this.samples.length;
  }

  /**
   * Runs `concurrency` workers for `durationMs` (then until `minRequests` were started, at most
   * `maxRequests`); responses count in the result only when `measure` is on.
   */
  async run(run: {
    durationMs: number;
    measure: boolean;
    maxRequests?: number;
    minRequests?: number;
  }): Promise<void> {
    const started = performance.now();
    const stopAt = started + run.durationMs;
    const maxRequests = run.maxRequests ?? Number.POSITIVE_INFINITY;
    const minRequests = Math.min(run.minRequests ?? this.options.concurrency, maxRequests);
    let ended = started;
    let starts = 0;
    const measured: Sample[] = [];
    const worker = async () => {
      for (;;) {
        const requestStarted = performance.now();
        if (starts >= maxRequests) return;
        if (requestStarted >= stopAt && starts >= minRequests) return;
        starts++;
        const sample = await this.request(requestStarted);
        if (sample === 'stop') return;
        if (sample && run.measure) {
          measured.push(sample);
          ended = Math.max(ended, performance.now());
        }
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    if (!run.measure) return;
    this.samples.push(...measured);
    // The rate counts what was served between the run's start and its planned end (or its last
    // response, when it stopped early), a response that straddles the end by its share inside.
    // Counting whole responses up to the last one would let one worker's extra long response
    // stretch the window by its whole length while adding one response: a 10 % swing at c=8
    // with 200 ms streams in a 1.5 s window.
    const windowEnd = Math.min(stopAt, Math.max(ended, started + 1));
    this.measuredMs += windowEnd - started;
    for (const sample of measured) {
      const end = sample.start + sample.latency;
      const inside = Math.min(end, windowEnd) - Math.max(sample.start, started);
      if (inside <= 0) continue;
      this.windowResponses += sample.latency > 0 ? Math.min(1, inside / sample.latency) : 1;
    }
  }

  /** The measured slices as one result: their samples pooled, their durations summed. */
  result(): LoadResult {
    const { samples } = this;
    const elapsedMs = Math.max(1, this.measuredMs);
    const totalEvents = samples.reduce((sum, sample) => sum + sample.events, 0);
    const totalBytes = samples.reduce((sum, sample) => sum + sample.bytes, 0);
    const requestsPerSecond = (this.windowResponses / elapsedMs) * 1000;
    const eventsPerResponse = samples.length === 0 ? 0 : totalEvents / samples.length;
    return {
      requests: samples.length,
      errors: this.errors,
      firstError: this.firstError,
      elapsedMs,
      requestsPerSecond,
      latencyMs: summarize(samples.map(sample => sample.latency)),
      ttfbMs: summarize(samples.map(sample => sample.ttfb)),
      eventsPerSecond: eventsPerResponse * requestsPerSecond,
      eventsPerResponse,
      bytesPerResponse: samples.length === 0 ? 0 : totalBytes / samples.length,
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private recordError(message: string): void {
    this.errors++;
    this.firstError ??= message;
  }

  /** One request: its sample, undefined after an error, 'stop' after too many errors. */
  private async request(requestStarted: number): Promise<Sample | undefined | 'stop'> {
    let ttfb = 0;
    let events = 0;
    let bytes = 0;
    let endedWithNewline = false;
    const keep: Buffer[] = [];
    try {
      const response = await this.pool.request({
        path: this.options.path,
        method: 'POST',
        headers: this.headers,
        body: this.options.body,
      });
      const keepBody = !this.validated || response.statusCode !== 200;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (ttfb === 0) ttfb = performance.now() - requestStarted;
        events += countFrameEnds(chunk, endedWithNewline);
        endedWithNewline = chunk[chunk.length - 1] === 10;
        bytes += chunk.length;
        if (keepBody) keep.push(chunk);
      }
      const finished = performance.now();
      if (response.statusCode !== 200) {
        this.recordError(
          `HTTP ${response.statusCode}: ${Buffer.concat(keep).toString('utf8').slice(0, 300)}`,
        );
        return undefined;
      }
      if (!this.validated) {
        this.validated = true;
        const problem = this.options.validate?.(
          response.statusCode,
          Buffer.concat(keep).toString(),
        );
        if (problem) this.recordError(problem);
      }
      return { start: requestStarted, latency: finished - requestStarted, ttfb, events, bytes };
    } catch (error) {
      this.recordError(error instanceof Error ? error.message : String(error));
      return this.errors > 100 ? 'stop' : undefined;
    }
  }
}

/** Runs `options` once (unmeasured warm-up, then the measured time) and returns what it measured. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const session = new LoadSession(options);
  try {
    if (options.warmupMs) await session.run({ durationMs: options.warmupMs, measure: false });
    await session.run({
      durationMs: options.durationMs,
      measure: true,
      ...(options.maxRequests === undefined ? {} : { maxRequests: options.maxRequests }),
      ...(options.minRequests === undefined ? {} : { minRequests: options.minRequests }),
    });
  } finally {
    await session.close();
  }
  return session.result();
}
