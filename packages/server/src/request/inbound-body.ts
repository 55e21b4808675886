import { isAscii } from 'node:buffer';

const nonASCIIRun = /[\x80-\xff]+/g;
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
   * differ: a leading BOM, or a non-ASCII character right after a backslash.
   */
  get parseText(): string {
    if (this.forParse === undefined) this.forParse = this.isASCII ? this.byteText : this.escape();
    return this.forParse;
  }

  /** Whether {@link parseText} is {@link text} itself (so a parse error can be reported as is). */
  get parseTextIsExact(): boolean {
    return this.parseText === this.text;
  }

  private escape(): string {
    const { bytes } = this;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return this.text;
    let exactNeeded = false;
    const escaped = this.byteText.replace(nonASCIIRun, (run: string, offset: number) => {
      if (offset > 0 && bytes[offset - 1] === backslash) exactNeeded = true;
      return escapeUTF16(bytes.toString('utf8', offset, offset + run.length));
    });
    return exactNeeded ? this.text : escaped;
  }
}

function escapeUTF16(text: string): string {
  let escaped = '';
  for (let index = 0; index < text.length; index++) {
    escaped += `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`;
  }
  return escaped;
}

/** Reads the whole request body (after the body limit) as an {@link InboundBody}. */
export async function readInboundBody(request: {
  arrayBuffer(): Promise<ArrayBuffer>;
}): Promise<InboundBody> {
  return new InboundBody(Buffer.from(await request.arrayBuffer()));
}
