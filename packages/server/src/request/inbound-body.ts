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
    if (this.forParse === undefined) this.forParse = this.isASCII ? this.byteText : this.escape();
    return this.forParse;
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

  private escape(): string {
    const { bytes } = this;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return this.text;
    return escapeNonASCIIRuns(bytes, this.byteText) ?? this.text;
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
const hexDigits = Buffer.from('0123456789abcdef', 'latin1');

/**
 * The body with every run of non-ASCII bytes written as `\uXXXX` escapes of its UTF-16 units,
 * written once into one buffer (no string is built per character). Undefined when the escaped text
 * could read differently from the decoded one (a non-ASCII byte right after a backslash) or when
 * too much of the body is non-ASCII ({@link maxEscapedShare}).
 */
function escapeNonASCIIRuns(bytes: Buffer, latin1: string): string | undefined {
  const runs = /[\x80-\xff]+/g;
  let output = Buffer.allocUnsafe(bytes.length + 256);
  let written = 0;
  let copiedUpTo = 0;
  let nonASCIIBytes = 0;
  const reserve = (extra: number) => {
    if (written + extra <= output.length) return;
    const grown = Buffer.allocUnsafe(Math.max(written + extra, Math.ceil(output.length * 1.5)));
    output.copy(grown, 0, 0, written);
    output = grown;
  };
  for (let run = runs.exec(latin1); run !== null; run = runs.exec(latin1)) {
    const start = run.index;
    const end = start + run[0].length;
    if (start > 0 && bytes[start - 1] === backslash) return undefined;
    nonASCIIBytes += end - start;
    if (nonASCIIBytes > maxEscapedShare * Math.max(end, shareCheckedAfterBytes)) return undefined;
    reserve(start - copiedUpTo);
    written += bytes.copy(output, written, copiedUpTo, start);
    const units = bytes.toString('utf8', start, end);
    reserve(units.length * 6);
    for (let index = 0; index < units.length; index++) {
      const unit = units.charCodeAt(index);
      output[written++] = backslash;
      output[written++] = 0x75; // u
      output[written++] = hexDigits[unit >> 12]!;
      output[written++] = hexDigits[(unit >> 8) & 0xf]!;
      output[written++] = hexDigits[(unit >> 4) & 0xf]!;
      output[written++] = hexDigits[unit & 0xf]!;
    }
    copiedUpTo = end;
  }
  reserve(bytes.length - copiedUpTo);
  written += bytes.copy(output, written, copiedUpTo, bytes.length);
  return output.toString('latin1', 0, written);
}

/** Reads the whole request body (after the body limit) as an {@link InboundBody}. */
export async function readInboundBody(request: {
  arrayBuffer(): Promise<ArrayBuffer>;
}): Promise<InboundBody> {
  return new InboundBody(Buffer.from(await request.arrayBuffer()));
}
