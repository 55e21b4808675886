import type { EventSourceMessage } from 'eventsource-parser';
import {
  type ByteSource,
  byteSourceToWebStream,
  endedRead,
} from '../streaming/byte-source-stream.js';
import { createLatin1Feed, isASCIIBytes, isASCIIText, readLatin1 } from './latin1-sse-text.js';
import { createSSEEventReader } from './sse-event-reader.js';

const encoder = new TextEncoder();

/**
 * `text` as UTF-8 bytes. Translated output is nearly always ASCII, and then its UTF-8 is its
 * Latin-1: a plain copy, cheaper than encoding it character by character. (`byteLength` counts
 * UTF-8 bytes, so it equals the length only when every character is ASCII.)
 */
function encodeUTF8(text: string): Uint8Array {
  return Buffer.byteLength(text, 'utf8') === text.length
    ? Buffer.from(text, 'latin1')
    : encoder.encode(text);
}

/** What a translation does with the upstream's SSE events. */
export interface SSETranslateHandlers {
  /**
   * One upstream SSE event; returns the output text it produces (`''` for none). With the
   * `latin1` option, `message` holds Latin-1 text (see `latin1-sse-text.ts`) and `asciiSoFar` says
   * whether every byte so far was ASCII (then the Latin-1 text is the UTF-8 text).
   */
  onEvent(message: EventSourceMessage, asciiSoFar: boolean): string;
  /**
   * Optional: consumes whole frames straight from the stream's text at an event boundary, before
   * they are cut into messages (see `FrameReader` in `sse-event-reader.ts`), appending what they
   * produce to `output.text` (and setting `output.ascii` to false when that may hold a non-ASCII
   * character); returns where it stopped. It must give the output `onEvent` would.
   */
  readFrames?(text: string, position: number, output: TranslatedText): number;
  /** The upstream ended (also after a read failure handed to `onReadError`); returns the final text. */
  onEnd(): string;
}

/** The output text a translation has produced and not yet sent. */
export interface TranslatedText {
  text: string;
  /**
   * True while every character of `text` is known to be ASCII: its UTF-8 is then its Latin-1, a
   * copy, without first counting its UTF-8 bytes (which walks the whole text once more). Whoever
   * appends text it does not know to be ASCII sets it to false; undefined: not tracked.
   */
  ascii?: boolean;
}

/**
 * Upstream SSE bytes → translated bytes in ONE stream stage: decoding, SSE framing, the
 * translation and encoding all happen inside one `pull`, and everything produced from one upstream
 * read leaves as a single `Uint8Array` (one client write, not one per event). A chain of
 * `TextDecoderStream` → `EventSourceParserStream` → translation → `TextEncoderStream` costs a
 * promise round trip per stage and per event, which dominated long streams.
 *
 * Pull-based (`highWaterMark: 0`): the upstream is read only as fast as the consumer reads.
 * Like `EventSourceParserStream`, an event not closed by a blank line when the upstream ends is
 * dropped. With `onReadError`, a failed upstream read ends the stream normally (after `onEnd`)
 * instead of erroring it, so the events already translated still reach the client; without it,
 * the error propagates. Cancelling the stream cancels the upstream.
 */
export function createSSETranslateStream(
  source: ByteSource,
  handlers: SSETranslateHandlers,
  options: { onReadError?: (error: unknown) => void; latin1?: boolean } = {},
): ReadableStream<Uint8Array> {
  return byteSourceToWebStream(createSSETranslateSource(source, handlers, options));
}

/**
 * {@link createSSETranslateStream} as a byte source: each `read` reads the upstream until the
 * translation produced output (or the upstream ended), without a web stream around it. One read
 * at a time; after a cancel, reads end (a read pending then ends too, with nothing translated).
 */
export function createSSETranslateSource(
  source: ByteSource,
  handlers: SSETranslateHandlers,
  options: { onReadError?: (error: unknown) => void; latin1?: boolean } = {},
): ByteSource {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  const output: TranslatedText = { text: '', ascii: true };
  let finished = false;
  let cancelled = false;
  let asciiSoFar = true;
  const parser = createTranslatingReader(handlers, output, () => asciiSoFar);
  const feedLatin1 = createLatin1Feed(text => parser.feed(text));
  const feed = options.latin1
    ? (bytes: Uint8Array) => {
        if (asciiSoFar && !isASCIIBytes(bytes)) asciiSoFar = false;
        feedLatin1(readLatin1(bytes));
      }
    : (bytes: Uint8Array) => parser.feed(decoder.decode(bytes, { stream: true }));
  const read = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    while (!finished && !cancelled) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (cancelled) break;
        if (!options.onReadError) throw error;
        options.onReadError(error);
        result = endedRead;
      }
      if (cancelled) break;
      if (result.done) {
        finished = true;
        // (Latin-1 text has no partial character to flush: the parser drops an unfinished
        // event either way.)
        if (!options.latin1) parser.feed(decoder.decode());
        appendChecked(output, handlers.onEnd());
      } else {
        feed(result.value);
      }
      if (output.text !== '') {
        const text = output.text;
        const ascii = output.ascii;
        output.text = '';
        output.ascii = true;
        return { done: false, value: ascii ? Buffer.from(text, 'latin1') : encodeUTF8(text) };
      }
    }
    return endedRead;
  };
  return {
    getReader: () => ({
      read,
      async cancel(reason) {
        cancelled = true;
        await reader.cancel(reason).catch(() => undefined);
      },
    }),
  };
}

/** An SSE reader driving `handlers`, appending what they produce to `output`. */
export function createTranslatingReader(
  handlers: SSETranslateHandlers,
  output: TranslatedText,
  isASCIISoFar: () => boolean,
) {
  const readFrames = handlers.readFrames;
  return createSSEEventReader(
    message => appendChecked(output, handlers.onEvent(message, isASCIISoFar())),
    readFrames && ((text, position) => readFrames.call(handlers, text, position, output)),
  );
}

/**
 * Appends an event's or the end's text, checked for ASCII while the output is still known to be:
 * such a text is short, and checking it costs less than counting the UTF-8 bytes of the whole
 * output (the frames a read cuts in two come this way, one per read).
 */
function appendChecked(output: TranslatedText, text: string): void {
  if (text === '') return;
  output.text += text;
  if (output.ascii === true && !isASCIIText(text)) output.ascii = false;
}
