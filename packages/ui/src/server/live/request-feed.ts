/**
 * The live request log: the UI's request observer records each finished `/v1/messages` request,
 * the log keeps the last few hundred in memory (no bodies, ever) and pushes each one to every open
 * event stream. A request becomes a {@link RequestEvent} when it is read (the list, a lookup) or
 * when a stream is open: with no page open, recording one costs a few field copies.
 * @module
 */
import type { RequestEvent } from '../api-schemas.js';
import { type ObservedRequest, type PriceRequest, RequestSummary } from './request-summary.js';

export { type ObservedRequest, type PriceRequest, toRequestEvent } from './request-summary.js';

/** One place in the log: a request's summary, its event once built, or a peer's event. */
interface LogEntry {
  summary: RequestSummary;
  /** The summary's event once built, or the event itself (peers' requests arrive as events). */
  event: RequestEvent | undefined;
}

const priceless: PriceRequest = () => null;

/** Recent requests and the event streams listening for new ones. */
export class RequestFeed {
  /** A ring: `next` is the oldest entry once it is full. */
  private readonly entries: LogEntry[] = [];
  private next = 0;
  private readonly listeners = new Set<(event: RequestEvent) => void>();

  /** `price` prices the events built from recorded requests (default: no cost). */
  constructor(
    private readonly capacity: number,
    private readonly price: PriceRequest = priceless,
  ) {}

  /**
   * Adds a finished request. Its event is built now only when a stream listens or `build` is
   * true, and then returned; otherwise when it is first read.
   */
  record(request: ObservedRequest, build = false): RequestEvent | undefined {
    const entry = this.claim();
    const summary = entry === undefined ? new RequestSummary() : entry.summary;
    summary.fill(request);
    if (!build && this.listeners.size === 0) return undefined;
    const event = summary.toEvent(this.price);
    if (entry !== undefined) entry.event = event;
    this.notify(event);
    return event;
  }

  /** Adds an event as it is (a peer instance's request). */
  publish(event: RequestEvent): void {
    const entry = this.claim();
    if (entry !== undefined) entry.event = event;
    this.notify(event);
  }

  /** Newest first. */
  list(limit: number): RequestEvent[] {
    const count = Math.min(Math.max(limit, 0), this.entries.length);
    const events: RequestEvent[] = [];
    for (let offset = 1; offset <= count; offset++) {
      events.push(this.eventOf(this.at(this.next - offset)));
    }
    return events;
  }

  find(id: string): RequestEvent | undefined {
    for (let index = 0; index < this.entries.length; index++) {
      const entry = this.at(this.next + index);
      const entryId = entry.event === undefined ? entry.summary.requestId : entry.event.id;
      if (entryId === id) return this.eventOf(entry);
    }
    return undefined;
  }

  subscribe(listener: (event: RequestEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** The entry the next request goes to (the oldest once the log is full), emptied. */
  private claim(): LogEntry | undefined {
    if (this.capacity <= 0) return undefined;
    let entry: LogEntry;
    if (this.entries.length < this.capacity) {
      entry = { summary: new RequestSummary(), event: undefined };
      this.entries.push(entry);
    } else {
      entry = this.entries[this.next]!;
      entry.event = undefined;
    }
    this.next = (this.next + 1) % this.capacity;
    return entry;
  }

  /** The entry `index` places from the start of the ring (wrapping). */
  private at(index: number): LogEntry {
    const length = this.entries.length;
    return this.entries[((index % length) + length) % length]!;
  }

  private eventOf(entry: LogEntry): RequestEvent {
    if (entry.event === undefined) entry.event = entry.summary.toEvent(this.price);
    return entry.event;
  }

  private notify(event: RequestEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken stream must not stop the others; its own close handler unsubscribes it.
      }
    }
  }
}
