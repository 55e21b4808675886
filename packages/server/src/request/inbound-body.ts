import { isAscii } from 'node:buffer';

const backslash = 92;

/**
 * A request body as received: its bytes, and the texts the pipeline reads, each made on first use.
 *
 * Why not just `Request.text()`: one non-ASCII character (an em dash, an emoji) makes the decoded
 * text a two-byte string twice the body's size, and a string over 128 KB lands in V8's large-object
 * space, whose allocation alone costs about a millisecond here: more than the rest of the gateway's
 * work on a 76 KB Claude Code request. Everything the hot path needs can be read from one-byte
 * strings instead: {@link byteText} for byte-exact scanning and {@link parseText} for `JSON.parse`.
 */
export class InboundBody {
  private latin1: string | undefined;
  private decoded: string | undefined;
  private forParse: string | undefined;
  private forParseIsOneByte = false;
  readonly isASCII: boolean;

  constructor(readonly bytes: Buffer) {
    this.isASCII = isAscii(bytes);
  }

  /**
   * One character per byte (Latin-1), so indexes are byte offsets. JSON's structural characters
   * are ASCII and no byte of a multi-byte UTF-8 sequence is, so a scan for quotes, brackets or an
   * ASCII tag finds exactly what it would find in the decoded text.
   */
  get byteText(): string {
    if (this.latin1 === undefined) this.latin1 = this.bytes.toString('latin1');
    return this.latin1;
  }

  /** The body decoded as UTF-8 exactly as `Request.text()` does (BOM dropped, bad bytes as U+FFFD). */
  get text(): string {
    if (this.decoded === undefined) {
      this.decoded = this.isASCII ? this.byteText : new TextDecoder().decode(this.bytes);
    }
    return this.decoded;
  }

  /**
   * A one-byte text that `JSON.parse` reads as the same value as {@link text}: every run of
   * non-ASCII characters becomes `\uXXXX` escapes (they can only be valid inside JSON strings,
   * where an escape means the same character). Falls back to {@link text} where the two could
   * differ (a leading BOM, or a non-ASCII character right after a backslash) and where the escapes
   * would be the larger text (a body that is mostly non-ASCII).
   */
  get parseText(): string {
    if (this.forParse === undefined) {
      const escaped = this.isASCII ? this.byteText : this.escape();
      this.forParseIsOneByte = escaped !== undefined;
      this.forParse = escaped ?? this.text;
    }
    return this.forParse;
  }

  /** Whether {@link parseText} has one character per byte (ASCII, or escaped to ASCII). */
  get parseTextIsOneByte(): boolean {
    return this.parseText !== undefined && this.forParseIsOneByte;
  }

  /** Whether {@link parseText} is {@link text} itself (so a parse error can be reported as is). */
  get parseTextIsExact(): boolean {
    return this.parseText === this.text;
  }

  /**
   * Drops the texts made for scanning and parsing (each is as large as the body or larger): once
   * the body is parsed, a request that waits for its upstream for minutes should hold its bytes
   * and its parsed value, not three more copies. A getter read afterwards makes its text again.
   */
  releaseTexts(): void {
    this.latin1 = undefined;
    this.decoded = undefined;
    this.forParse = undefined;
  }

  /** The escaped one-byte text, or undefined where {@link parseText} must be the decoded text. */
  private escape(): string | undefined {
    const { bytes } = this;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined;
    return escapeNonASCIIRuns(bytes, this.byteText);
  }
}

/**
 * Escaping pays while most of the body is ASCII. Past this share of non-ASCII bytes the escaped
 * text (six characters per UTF-16 unit) would outgrow the two-byte decoded text, and hostile bodies
 * (megabytes of emoji) would cost three times their size: {@link InboundBody.parseText} decodes.
 */
const maxEscapedShare = 0.25;
/**
 * The share is checked on the part read so far once this much is read, so a body that is mostly
 * non-ASCII is given up on early rather than after escaping a quarter of it.
 */
const shareCheckedAfterBytes = 256 * 1024;

/**
 * The body with every run of non-ASCII bytes written as `\uXXXX` escapes of its UTF-16 units,
 * joined from slices of the Latin-1 text (no buffer is written, and the result is one string).
 * Undefined when the escaped text could read differently from the decoded one (a non-ASCII byte
 * right after a backslash) or when too much of the body is non-ASCII ({@link maxEscapedShare}).
 * A run is always whole UTF-8 sequences (every byte of a multi-byte sequence is non-ASCII), so
 * runs decode one by one as the whole body would.
 */
function escapeNonASCIIRuns(bytes: Buffer, latin1: string): string | undefined {
  const runs = /[\x80-\xff]+/g;
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let nonASCIIBytes = 0;
  for (let run = runs.exec(latin1); run !== null; run = runs.exec(latin1)) {
    const start = run.index;
    const end = start + run[0].length;
    if (start > 0 && latin1.charCodeAt(start - 1) === backslash) return undefined;
    nonASCIIBytes += end - start;
    if (nonASCIIBytes > maxEscapedShare * Math.max(end, shareCheckedAfterBytes)) return undefined;
    pieces.push(latin1.slice(copiedUpTo, start), escapeRun(bytes, run[0], start, end));
    copiedUpTo = end;
  }
  pieces.push(latin1.slice(copiedUpTo));
  return pieces.join('');
}

/**
 * Escapes of short runs seen before, by their Latin-1 text: prose repeats a few characters (an em
 * dash, an arrow, an ellipsis), so most runs are found here rather than decoded again.
 */
const escapedRuns = new Map<string, string>();
const maxRememberedRunLength = 16;
const maxRememberedRuns = 1024;

function escapeRun(bytes: Buffer, run: string, start: number, end: number): string {
  let escaped = escapedRuns.get(run);
  if (escaped !== undefined) return escaped;
  const units = bytes.toString('utf8', start, end);
  escaped = '';
  for (let index = 0; index < units.length; index++) {
    escaped += `\\u${units.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  if (run.length <= maxRememberedRunLength) {
    if (escapedRuns.size >= maxRememberedRuns) escapedRuns.clear();
    escapedRuns.set(run, escaped);
  }
  return escaped;
}

/** Reads the whole request body (after the body limit) as an {@link InboundBody}. */
export async function readInboundBody(request: {
  arrayBuffer(): Promise<ArrayBuffer>;
}): Promise<InboundBody> {
  return new InboundBody(Buffer.from(await request.arrayBuffer()));
}
