import { type ByteSource, endedRead } from '../../streaming/byte-source-stream.js';
import {
  type SSETranslateHandlers,
  type TranslatedText,
  createTranslatingReader,
} from '../../sse/create-sse-translate-stream.js';
import { createLatin1Feed, isASCIIBytes, readLatin1 } from '../../sse/latin1-sse-text.js';

const encoder = new TextEncoder();

/**
 * A whole upstream SSE body that has already arrived (see `takeArrivedBody`), translated as
 * `createSSETranslateSource` translates it, but in one pass: the same handlers see the same
 * events and the end, and everything they produce leaves as ONE chunk. Read as a stream, the same
 * body costs three reads of every stage between the upstream and the client (the events, the end,
 * then nothing), each a chain of promises; here it is one read and the end. The translation runs
 * on the first read, as it would.
 */
export function translateArrivedSSE(
  bytes: Uint8Array,
  handlers: SSETranslateHandlers,
  options: { latin1?: boolean } = {},
): ByteSource {
  return {
    getReader() {
      let pending = true;
      return {
        async read() {
          if (!pending) return endedRead;
          pending = false;
          const text = translateWhole(bytes, handlers, options.latin1 === true);
          return text === '' ? endedRead : { done: false, value: encodeUTF8(text) };
        },
        async cancel() {
          pending = false;
        },
      };
    },
  };
}

function translateWhole(bytes: Uint8Array, handlers: SSETranslateHandlers, latin1: boolean) {
  const output: TranslatedText = { text: '' };
  const asciiSoFar = !latin1 || isASCIIBytes(bytes);
  const parser = createTranslatingReader(handlers, output, () => asciiSoFar);
  if (latin1) {
    // (The parser drops an event the body leaves unfinished, as the stream does at its end.)
    if (bytes.byteLength > 0) createLatin1Feed(text => parser.feed(text))(readLatin1(bytes));
  } else {
    const decoder = new TextDecoder();
    parser.feed(decoder.decode(bytes, { stream: true }));
    parser.feed(decoder.decode());
  }
  return output.text + handlers.onEnd();
}

/** `text` as UTF-8: a Latin-1 copy when it is all ASCII (as `createSSETranslateSource` writes it). */
function encodeUTF8(text: string): Uint8Array {
  return Buffer.byteLength(text, 'utf8') === text.length
    ? Buffer.from(text, 'latin1')
    : encoder.encode(text);
}
