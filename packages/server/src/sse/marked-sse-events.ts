/**
 * Finds, in an SSE byte stream, only the events whose frame contains one of a few marker words,
 * without framing, copying or decoding the rest: a usage tap needs 3 events of a stream's
 * thousands. Each chunk costs a native substring search per marker, a short backward scan for
 * the event cut by its end, and the framing of the few marked events.
 *
 * Events are cut at blank lines: a run of line-end bytes (CR, LF) holds a blank line unless it
 * is a single line end (`\r`, `\n` or `\r\n`). Lines hold no CR or LF, so every such run is one.
 */
import type { EventSourceMessage } from 'eventsource-parser';

const CR = 13;
const LF = 10;

const isLineEnd = (byte: number | undefined) => byte === CR || byte === LF;

/** A run of line-end bytes `bytes[start..end)` holds a blank line (ends an event). */
function endsEvent(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  return length > 2 || (length === 2 && !(bytes[start] === CR && bytes[start + 1] === LF));
}

/**
 * The first event end in `bytes[from..to)` as `[runStart, runEnd)`, or `undefined`. A run that
 * touches `to` counts only when it already holds a blank line (more bytes could still join it).
 */
function findEventEnd(bytes: Uint8Array, from: number, to: number): [number, number] | undefined {
  for (let index = from; index < to; index++) {
    if (!isLineEnd(bytes[index])) continue;
    let end = index + 1;
    while (end < to && isLineEnd(bytes[end])) end++;
    if (endsEvent(bytes, index, end)) return [index, end];
    index = end - 1;
  }
  return undefined;
}

/** Where the event holding `bytes[position]` starts: just after the previous event end, or `floor`. */
function findEventStart(bytes: Uint8Array, position: number, floor: number): number {
  let index = position - 1;
  while (index >= floor) {
    if (!isLineEnd(bytes[index])) {
      index--;
      continue;
    }
    const runEnd = index + 1;
    while (index > floor && isLineEnd(bytes[index - 1])) index--;
    if (endsEvent(bytes, index, runEnd)) return runEnd;
    index--;
  }
  return floor;
}

/** The fields of one event's text (no blank line inside), as `eventsource-parser` reads them. */
function parseEventText(text: string): EventSourceMessage | undefined {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon === -1 ? line : line.slice(0, colon);
    const value =
      colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value || undefined;
  }
  return data === undefined ? undefined : { id: undefined, event, data };
}

/** The bytes of each marker list, made once per list (a scanner is made per stream). */
const markerBytesByList = new WeakMap<readonly string[], Buffer[]>();

function markerBytesOf(markers: readonly string[]): Buffer[] {
  let bytes = markerBytesByList.get(markers);
  if (!bytes) {
    bytes = markers.map(marker => Buffer.from(marker, 'latin1'));
    markerBytesByList.set(markers, bytes);
  }
  return bytes;
}

/**
 * A scanner of SSE bytes that calls `onEvent` for each complete event whose raw frame (field
 * names included) contains one of `markers` (ASCII words), in stream order. Events without a
 * marker are skipped unread. `id` and `retry` fields are not reported.
 */
export function createMarkedEventScanner(
  markers: readonly string[],
  onEvent: (message: EventSourceMessage) => void,
): { push(chunk: Uint8Array): void } {
  const markerBytes = markerBytesOf(markers);
  // The bytes of the event still open at the end of the previous chunk.
  let carry: Buffer | undefined;
  let atStreamStart = true;

  const hasMarker = (bytes: Buffer, from: number, to: number): boolean =>
    markerBytes.some(marker => {
      const at = bytes.indexOf(marker, from);
      return at !== -1 && at + marker.length <= to;
    });

  const emit = (bytes: Buffer, start: number, end: number) => {
    let text = bytes.toString('utf8', start, end);
    // A byte order mark opens the stream at most once (the parser drops it the same way).
    if (atStreamStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    atStreamStart = false;
    const message = parseEventText(text);
    if (message) onEvent(message);
  };

  /** Events of `bytes[from..)`, which starts at an event start; keeps the open one as `carry`. */
  const scan = (bytes: Buffer, from: number) => {
    let position = from;
    while (position < bytes.length) {
      const marked = nextMarker(bytes, position);
      if (marked === -1) break;
      const start = findEventStart(bytes, marked, position);
      const end = findEventEnd(bytes, marked, bytes.length);
      if (!end) {
        if (start > position) atStreamStart = false;
        carry = Buffer.from(bytes.subarray(start));
        return;
      }
      if (start > position) atStreamStart = false;
      emit(bytes, start, end[0]);
      position = end[1];
    }
    // The open event at the end, unmarked so far: kept (copied) for the next chunk.
    const start = findEventStart(bytes, bytes.length, position);
    if (start > position) atStreamStart = false;
    carry = start < bytes.length ? Buffer.from(bytes.subarray(start)) : undefined;
  };

  const nextMarker = (bytes: Buffer, from: number): number => {
    let first = -1;
    for (const marker of markerBytes) {
      const at = bytes.indexOf(marker, from);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    return first;
  };

  return {
    push(chunk) {
      if (chunk.byteLength === 0) return;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!carry) {
        scan(bytes, 0);
        return;
      }
      // Finish the open event first: it ends at the first event end after the carried bytes'
      // own trailing line ends, looked for in the carry's tail joined with this chunk's head.
      let tail = carry.length;
      while (tail > 0 && isLineEnd(carry[tail - 1])) tail--;
      const head = findEventEnd(bytes, 0, bytes.length);
      const joined = Buffer.concat([carry, bytes.subarray(0, head ? head[1] : bytes.length)]);
      const end = findEventEnd(joined, tail, joined.length);
      if (!end) {
        carry = joined;
        return;
      }
      carry = undefined;
      if (hasMarker(joined, 0, end[0])) emit(joined, 0, end[0]);
      else atStreamStart = false;
      // Where this chunk continues after that event end.
      const consumed = end[1] - (joined.length - (head ? head[1] : bytes.length));
      scan(bytes, Math.max(consumed, 0));
    },
  };
}
