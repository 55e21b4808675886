import { describe, expect, it } from '@jest/globals';
import { nextPieceEnd, splitLongRuns } from './split-long-runs.js';

/** The cut positions of the straightforward one-pass split (the reference the pieces must match). */
function referenceCuts(text: string, maxRunLength: number): number[] {
  const classOf = (character: string) =>
    /\p{L}/u.test(character) ? 0 : /\p{N}/u.test(character) ? 1 : /\s/u.test(character) ? 2 : 3;
  const cuts: number[] = [];
  let runClass = -1;
  let runLength = 0;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    const characterClass = classOf(String.fromCodePoint(codePoint));
    if (characterClass === runClass) {
      runLength++;
      if (runLength > maxRunLength && characterClass !== 1) {
        cuts.push(index);
        runLength = 1;
      }
    } else {
      runClass = characterClass;
      runLength = 1;
    }
    index += codePoint > 0xffff ? 2 : 1;
  }
  return cuts;
}

function cutsOf(text: string, maxRunLength: number): number[] {
  const cuts: number[] = [];
  for (let end = nextPieceEnd(text, 0, maxRunLength); end < text.length; ) {
    cuts.push(end);
    end = nextPieceEnd(text, end, maxRunLength);
  }
  return cuts;
}

describe('nextPieceEnd', () => {
  it('cuts random texts exactly where the one-pass split does', () => {
    const alphabet = ['a', 'Z', 'é', '7', '٣', ' ', '\n', '\u3000', '!', '—', '😀', '🤖', '中'];
    let seed = 19;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 500; trial++) {
      let text = '';
      while (text.length < 400) {
        const character = alphabet[Math.floor(random() * alphabet.length)]!;
        text += character.repeat(1 + Math.floor(random() * 40));
      }
      const maxRunLength = 4 + Math.floor(random() * 30);
      expect(cutsOf(text, maxRunLength)).toEqual(referenceCuts(text, maxRunLength));
    }
  });

  it('walks a multi-megabyte run piece by piece', () => {
    const text = 'x'.repeat(5 * 1024 * 1024 + 1);
    expect(nextPieceEnd(text, 0)).toBe(128);
    expect(nextPieceEnd(text, text.length - 129)).toBe(text.length - 1);
    expect(nextPieceEnd(text, text.length - 1)).toBe(text.length);
    expect(splitLongRuns('x'.repeat(129))).toEqual(['x'.repeat(128), 'x']);
  });
});
