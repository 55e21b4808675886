/** One piece of model output: visible text or reasoning. */
export interface TaggedPiece {
  kind: 'text' | 'reasoning';
  text: string;
}

/**
 * Splits streamed text into reasoning (between `openTag` and `closeTag`) and visible text, for
 * models that write their thinking inline (`<think>…</think>`). A tag may arrive split across
 * chunks (`<thi` + `nk>`): the longest suffix that could still start a tag is held back until the
 * next chunk decides, and released as-is by `flush`.
 */
export class ThinkTagSplitter {
  private inside = false;
  private held = '';

  constructor(
    private readonly openTag: string,
    private readonly closeTag: string,
  ) {}

  push(chunk: string): TaggedPiece[] {
    const pieces: TaggedPiece[] = [];
    let rest = this.held + chunk;
    this.held = '';
    while (rest.length > 0) {
      const tag = this.inside ? this.closeTag : this.openTag;
      const position = rest.indexOf(tag);
      if (position !== -1) {
        this.emit(pieces, rest.slice(0, position));
        rest = rest.slice(position + tag.length);
        this.inside = !this.inside;
        if (!this.inside) rest = rest.replace(/^\r?\n/, '');
        continue;
      }
      const keep = partialTagSuffixLength(rest, tag);
      this.emit(pieces, rest.slice(0, rest.length - keep));
      this.held = rest.slice(rest.length - keep);
      break;
    }
    return pieces;
  }

  /** Releases held-back characters (the stream ended inside a would-be tag). */
  flush(): TaggedPiece[] {
    const pieces: TaggedPiece[] = [];
    this.emit(pieces, this.held);
    this.held = '';
    return pieces;
  }

  private emit(pieces: TaggedPiece[], text: string): void {
    if (text.length === 0) return;
    const kind = this.inside ? 'reasoning' : 'text';
    const last = pieces.at(-1);
    if (last?.kind === kind) last.text += text;
    else pieces.push({ kind, text });
  }
}

function partialTagSuffixLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}

/** Splits a complete text (non-streaming responses). */
export function splitThinkTags(
  text: string,
  openTag: string,
  closeTag: string,
): { reasoning: string; text: string } {
  const splitter = new ThinkTagSplitter(openTag, closeTag);
  const pieces = [...splitter.push(text), ...splitter.flush()];
  return {
    reasoning: pieces
      .filter(piece => piece.kind === 'reasoning')
      .map(piece => piece.text)
      .join(''),
    text: pieces
      .filter(piece => piece.kind === 'text')
      .map(piece => piece.text)
      .join('')
      .replace(/^\s+/, ''),
  };
}
