/**
 * Reading SSE bytes as Latin-1 (one character per byte) instead of decoding them as UTF-8: a copy
 * instead of a decode, and the same SSE framing, since every byte SSE and JSON give meaning to is
 * ASCII and no byte of a multi-byte UTF-8 character is. Only the text a translation actually
 * reads (a JSON payload, a string value) is then decoded, with `decodeLatin1AsUTF8`.
 */
import { isAscii } from 'node:buffer';

const utf8 = new TextDecoder();

/** Bytes as Latin-1 text. */
export function readLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** True when `bytes` are all ASCII (their Latin-1 text is then already their UTF-8 text). */
export function isASCIIBytes(bytes: Uint8Array): boolean {
  return isAscii(bytes);
}

// (Code units, without the `u` flag: a surrogate is one of them too.)
const nonASCII = /[\u0080-\uffff]/;

/** True when every character of `text` is ASCII. */
export function isASCIIText(text: string): boolean {
  return !nonASCII.test(text);
}

/**
 * A string read as Latin-1 decoded as the UTF-8 it is (as a `TextDecoder` would have decoded it in
 * the whole stream, when the string starts and ends at ASCII characters).
 */
export function decodeLatin1AsUTF8(text: string): string {
  return utf8.decode(Buffer.from(text, 'latin1'));
}

/** A UTF-8 byte order mark read as Latin-1. */
const latin1BOM = '\xef\xbb\xbf';

/**
 * Feeds Latin-1 text to an `eventsource-parser` the way a `TextDecoder` would have fed the decoded
 * text: one byte order mark at the very start of the stream is dropped (even split across reads),
 * and the parser's own check for one is spent on an empty first chunk, as it would not see a
 * second one either.
 */
export function createLatin1Feed(feed: (text: string) => void): (text: string) => void {
  let start: string | undefined = '';
  return text => {
    if (start === undefined) {
      feed(text);
      return;
    }
    const head = start + text;
    if (head.length < latin1BOM.length && latin1BOM.startsWith(head)) {
      start = head;
      return;
    }
    start = undefined;
    feed('');
    feed(head.startsWith(latin1BOM) ? head.slice(latin1BOM.length) : head);
  };
}
