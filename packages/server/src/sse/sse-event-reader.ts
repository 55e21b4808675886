/**
 * The SSE framing of the stream translations, in place of `eventsource-parser`'s `createParser`:
 * the same events from the same text (lines end at `\r\n`, `\r` or `\n`; a blank line dispatches
 * an event that has `data`; `data` lines join with `\n`; comments and unknown fields are skipped;
 * an `id` holding NUL is ignored; `retry` is not reported; a byte order mark read as Latin-1 at the
 * start of the first text fed is dropped; an event the text leaves unfinished waits for more).
 * One difference, in the spec's favour: a `\r` that ends a piece is taken as a line end as soon as
 * the next piece shows it is not half of a `\r\n`, where `eventsource-parser` waits for a piece
 * holding a line end (and drops the event if none comes before the stream ends).
 *
 * What it adds: at each event boundary (no field of the next event read yet), a translation's
 * `readFrames` may consume whole frames straight from the text, before they are cut into lines,
 * messages and `data` strings (see `openai-shaped-frames.ts`): most of a long stream's frames
 * then cost no line search, slice or message object.
 */
import type { EventSourceMessage } from 'eventsource-parser';

const LF = 10;
const CR = 13;
const SPACE = 32;

/**
 * Consumes whole frames of `text` from `position` (an event boundary), returning where it stopped
 * (`position` when it took none). It may only stop at an event boundary: after a blank line.
 */
export type FrameReader = (text: string, position: number) => number;

export interface SSEEventReader {
  /** Feeds the next piece of the stream's text. */
  feed(text: string): void;
}

/** A reader calling `onEvent` for each complete event, and `readFrames` at each event boundary. */
export function createSSEEventReader(
  onEvent: (message: EventSourceMessage) => void,
  readFrames?: FrameReader,
): SSEEventReader {
  // The text of a line not ended yet (its start, when the previous feed ended inside it).
  let pending = '';
  let firstText = true;
  let id: string | undefined;
  let eventType: string | undefined;
  let data = '';
  let dataLines = 0;

  const dispatch = () => {
    if (dataLines > 0) onEvent({ id, event: eventType, data });
    id = undefined;
    eventType = undefined;
    data = '';
    dataLines = 0;
  };

  const addData = (value: string) => {
    data = dataLines === 0 ? value : `${data}\n${value}`;
    dataLines++;
  };

  const readLine = (text: string, start: number, end: number) => {
    if (start === end) {
      dispatch();
      return;
    }
    let colon = text.indexOf(':', start);
    if (colon >= end) colon = -1;
    if (colon === start) return;
    const fieldEnd = colon === -1 ? end : colon;
    const valueStart =
      colon === -1 ? end : text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
    const fieldLength = fieldEnd - start;
    if (fieldLength === 4 && text.startsWith('data', start)) {
      addData(text.slice(valueStart, end));
    } else if (fieldLength === 5 && text.startsWith('event', start)) {
      eventType = text.slice(valueStart, end) || undefined;
    } else if (fieldLength === 2 && text.startsWith('id', start)) {
      const value = text.slice(valueStart, end);
      if (!value.includes('\0')) id = value;
    }
    // (`retry` and unknown fields: nothing the translations read.)
  };

  /**
   * Reads the lines of `text` from `from` (a line start); returns where the unfinished line starts
   * (`text.length` if none).
   */
  const readLines = (text: string, from: number): number => {
    const length = text.length;
    let position = from;
    // Next line-end characters at or after `position` (-1: none left), searched again only once
    // passed, so text with a lone `\r` far away is not searched again per line.
    let nextLF = -2;
    let nextCR = -2;
    while (position < length) {
      if (
        readFrames !== undefined &&
        dataLines === 0 &&
        eventType === undefined &&
        id === undefined
      ) {
        position = readFrames(text, position);
        if (position >= length) break;
      }
      if (nextLF !== -1 && nextLF < position) nextLF = text.indexOf('\n', position);
      if (nextCR !== -1 && nextCR < position) nextCR = text.indexOf('\r', position);
      let lineEnd: number;
      let nextLine: number;
      if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
        // A `\r` last in the text may be the first half of `\r\n`: wait for the next piece.
        if (nextCR === length - 1) break;
        lineEnd = nextCR;
        nextLine = text.charCodeAt(nextCR + 1) === LF ? nextCR + 2 : nextCR + 1;
      } else if (nextLF !== -1) {
        lineEnd = nextLF;
        nextLine = nextLF + 1;
      } else {
        break;
      }
      readLine(text, position, lineEnd);
      position = nextLine;
    }
    return position;
  };

  return {
    feed(chunk) {
      let text = chunk;
      if (firstText) {
        firstText = false;
        if (
          text.charCodeAt(0) === 0xef &&
          text.charCodeAt(1) === 0xbb &&
          text.charCodeAt(2) === 0xbf
        ) {
          text = text.slice(3);
        }
      }
      if (text === '') return;
      let from = 0;
      if (pending.charCodeAt(pending.length - 1) === CR) {
        // The `\r` ending the unfinished line ends it (with the piece's `\n`, if that comes next).
        from = text.charCodeAt(0) === LF ? 1 : 0;
        const head = `${pending.slice(0, -1)}\n`;
        pending = '';
        readLines(head, 0);
      } else if (pending !== '') {
        // The unfinished line is finished on its own, joined with the piece's first line end:
        // joining it with the whole piece would copy the piece.
        const lineEnd = firstLineEnd(text);
        if (lineEnd === -1) {
          // A piece without a line end only lengthens the unfinished line.
          pending += text;
          return;
        }
        let head: string;
        if (text.charCodeAt(lineEnd) !== CR || lineEnd === text.length - 1) {
          // (A `\r` ending the piece stays unfinished: it may be half of a `\r\n`.)
          from = lineEnd + 1;
          head = pending + text.slice(0, from);
        } else if (text.charCodeAt(lineEnd + 1) === LF) {
          from = lineEnd + 2;
          head = pending + text.slice(0, from);
        } else {
          // A lone `\r`, known to be one only from the character after it: the same line end.
          from = lineEnd + 1;
          head = `${pending}${text.slice(0, lineEnd)}\n`;
        }
        const unfinished = readLines(head, 0);
        // (Only a `\r` ending the piece can be left unfinished: then `from` is the piece's end.)
        pending = unfinished < head.length ? head.slice(unfinished) : '';
        if (from >= text.length) return;
      }
      const unfinished = readLines(text, from);
      pending = unfinished < text.length ? text.slice(unfinished) : '';
    },
  };
}

/** The index of the first `\n` or `\r` in `text`, or -1. */
function firstLineEnd(text: string): number {
  const lf = text.indexOf('\n');
  if (lf === -1) return text.indexOf('\r');
  // (A backward search from the `\n` tells whether a `\r` comes first without searching the
  // rest of the text: most streams hold none.)
  return text.lastIndexOf('\r', lf) === -1 ? lf : text.indexOf('\r');
}
