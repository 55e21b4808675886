import { describe, expect, it } from '@jest/globals';
import { InboundBody } from './inbound-body.js';

const decoder = new TextDecoder();

/** The value and the error (if any) `JSON.parse` gives for a text. */
function parseOutcome(text: string): { value?: string; error?: boolean } {
  try {
    return { value: JSON.stringify(JSON.parse(text)) };
  } catch {
    return { error: true };
  }
}

describe('InboundBody', () => {
  it.each([
    ['ASCII', '{"model":"claude","messages":[]}'],
    ['an em dash and an emoji in strings', '{"text":"a — b 🤖","k—":"é"}'],
    ['a non-ASCII character after a backslash', '{"text":"\\é"}'],
    ['an escaped backslash before a non-ASCII character', '{"text":"\\\\é"}'],
    ['a non-ASCII character outside a string', '{"a":1,—}'],
    ['a byte order mark', '\uFEFF{"a":"é"}'],
    ['a line separator', '{"a":"\u2028"}'],
  ])('parses %s to the value (or error) of the exact text', (_name, text) => {
    const bytes = Buffer.from(text, 'utf8');
    const body = new InboundBody(bytes);
    expect(body.text).toBe(decoder.decode(bytes));
    expect(parseOutcome(body.parseText)).toEqual(parseOutcome(body.text));
    expect(body.byteText).toHaveLength(bytes.length);
  });

  it('decodes invalid UTF-8 as Request.text() does and keeps one-byte text for parsing', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"x'),
      Buffer.from([0xe2, 0x80, 0xc3, 0xff, 0xf0, 0x9f]),
      Buffer.from('y"}'),
    ]);
    const body = new InboundBody(bytes);
    expect(body.text).toBe(decoder.decode(bytes));
    expect(parseOutcome(body.parseText)).toEqual(parseOutcome(body.text));
    expect([...body.parseText].every(character => character.charCodeAt(0) <= 0xff)).toBe(true);
  });

  it('matches the exact text on random bytes from JSON-ish and multi-byte alphabets', () => {
    const alphabet = [0x22, 0x5c, 0x7b, 0x7d, 0x61, 0x3a, 0x2c, 0xe2, 0x80, 0x94, 0xf0, 0x9f];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = Buffer.alloc(Math.floor(random() * 40));
      for (let index = 0; index < bytes.length; index++) {
        bytes[index] = alphabet[Math.floor(random() * alphabet.length)]!;
      }
      const body = new InboundBody(bytes);
      expect(body.text).toBe(decoder.decode(bytes));
      expect(parseOutcome(body.parseText)).toEqual(parseOutcome(body.text));
    }
  });

  it('escapes a large, mostly ASCII body into one-byte text and decodes a mostly non-ASCII one', () => {
    const mostlyASCII = JSON.stringify({ text: `${'code '.repeat(60_000)}— 🤖 é`.repeat(3) });
    const escaped = new InboundBody(Buffer.from(mostlyASCII, 'utf8'));
    expect(JSON.parse(escaped.parseText)).toEqual(JSON.parse(mostlyASCII));
    expect(escaped.parseTextIsExact).toBe(false);

    // Six characters per UTF-16 unit would triple a body of emoji: the decoded text is smaller.
    const mostlyEmoji = JSON.stringify({ text: 'é🤖'.repeat(200_000) });
    const decoded = new InboundBody(Buffer.from(mostlyEmoji, 'utf8'));
    expect(decoded.parseText).toBe(mostlyEmoji);
    expect(decoded.parseTextIsExact).toBe(true);
  });

  it('makes its texts again after releasing them', () => {
    const body = new InboundBody(Buffer.from('{"a":"é"}', 'utf8'));
    const parseText = body.parseText;
    body.releaseTexts();
    expect(body.parseText).toBe(parseText);
    expect(body.text).toBe('{"a":"é"}');
  });
});
