import { describe, expect, it } from '@jest/globals';
import { type EventSourceMessage, createParser } from 'eventsource-parser';
import { createSSEEventReader } from './sse-event-reader.js';

/** The events `eventsource-parser` (the reference) reads from `pieces`. */
function referenceEvents(pieces: string[]): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: message => events.push(message) });
  for (const piece of pieces) parser.feed(piece);
  return events;
}

function readerEvents(pieces: string[], readFrames?: (text: string, at: number) => number) {
  const events: EventSourceMessage[] = [];
  const reader = createSSEEventReader(message => events.push(message), readFrames);
  for (const piece of pieces) reader.feed(piece);
  return events;
}

/** Every way of cutting `text` in two, and in pieces of a few sizes. */
function splits(text: string): string[][] {
  const ways: string[][] = [[text]];
  for (let cut = 0; cut <= text.length; cut++) ways.push([text.slice(0, cut), text.slice(cut)]);
  for (const size of [1, 2, 3, 5, 7]) {
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
    ways.push(pieces);
  }
  return ways;
}

const streams = [
  'data: a\n\ndata: b\n\n',
  'data: a\r\n\r\ndata: b\r\n\r\n',
  'data: a\r\rdata: b\r\r',
  'data: a\r\n\ndata: b\n\r\n',
  'data:no space\ndata:  two spaces\n\n',
  'data: first\ndata: second\ndata\ndata:\n\n',
  'event: ping\ndata: {}\n\nevent\ndata: x\n\nevent:\ndata: y\n\n',
  'id: 7\ndata: with id\n\nid: bad\0id\ndata: z\n\nid\ndata: w\n\n',
  ': a comment\ndata: a\n: another\n\n:\n\n',
  'retry: 100\nretry: x\nunknown: field\nweird\ndata: a\n\n',
  'event: only\n\nid: only\n\n\n\n\ndata: after blanks\n\n',
  '\xef\xbb\xbfdata: after a BOM\n\n',
  '\xef\xbb\xbf\xef\xbb\xbfdata: two BOMs\n\n',
  'data: unfinished at the end',
  'data: a\n\ndata: b\r',
  'data: café\n\ndata: \u00e9\u0301\n\n',
  'DATA: case matters\ndata : space in name\n\n',
];

describe('createSSEEventReader', () => {
  it('reads the events eventsource-parser reads, however the text is cut', () => {
    for (const stream of streams) {
      for (const pieces of splits(stream)) {
        expect(readerEvents(pieces)).toEqual(referenceEvents(pieces));
      }
    }
  });

  it('drops a byte order mark only at the start of the first piece, as the reference does', () => {
    for (const pieces of [
      ['', '\xef\xbb\xbfdata: a\n\n'],
      ['\xef\xbb', '\xbfdata: a\n\n'],
    ]) {
      expect(readerEvents(pieces)).toEqual(referenceEvents(pieces));
    }
  });

  it('asks readFrames only at event boundaries, and reads on from where it stopped', () => {
    const stream = 'event: e\ndata: a\n\nFRAME\n\ndata: b\ndata: c\n\nFRAME\n\n: note\nFRAME\n\n';
    const takeFrame = (text: string, at: number) =>
      text.startsWith('FRAME\n\n', at) ? at + 'FRAME\n\n'.length : at;
    const expected = [
      { id: undefined, event: 'e', data: 'a' },
      { id: undefined, event: undefined, data: 'b\nc' },
    ];
    for (const pieces of splits(stream)) {
      // (A frame cut by a read is read line by line: `FRAME` is an unknown field, skipped.)
      expect(readerEvents(pieces, takeFrame)).toEqual(expected);
    }
    const boundaries: string[] = [];
    readerEvents([stream], (text, at) => {
      boundaries.push(text.slice(at, at + 6));
      return takeFrame(text, at);
    });
    // Never inside an event whose fields have started (before `data: a` or `data: c`), and not
    // again where it just stopped.
    expect(boundaries).toEqual(['event:', 'FRAME\n', 'FRAME\n', 'FRAME\n']);
  });

  it('finishes a line cut by a read without joining the rest of the next read', () => {
    const long = `data: ${'x'.repeat(50)}\n\n`.repeat(20);
    const pieces = [long.slice(0, 30), long.slice(30, 31), long.slice(31)];
    expect(readerEvents(pieces)).toEqual(referenceEvents(pieces));
    expect(readerEvents(pieces)).toHaveLength(20);
  });
  it('agrees with the reference on random streams cut at random places', () => {
    // A fixed linear congruential generator: the same cases on every run.
    let seed = 20;
    const next = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const atoms = [
      'data',
      'event',
      'id',
      'retry',
      ':',
      ': ',
      ' ',
      'x',
      '\r',
      '\n',
      '\r\n',
      '\0',
      'é',
    ];
    for (let round = 0; round < 400; round++) {
      let stream = '';
      for (let index = next(40); index > 0; index--) stream += atoms[next(atoms.length)];
      const pieces: string[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = next(6);
        pieces.push(stream.slice(at, at + size));
        at += size;
      }
      // (A closing line end: a `\r` ending a read is a line end here as soon as the next piece
      // comes, and for the reference only once a piece with a line end comes.)
      pieces.push('\n\n');
      expect(readerEvents(pieces)).toEqual(referenceEvents(pieces));
      expect(readerEvents([stream])).toEqual(referenceEvents([stream]));
      if (!stream.includes('\r')) {
        pieces.pop();
        expect(readerEvents(pieces)).toEqual(referenceEvents(pieces));
      }
    }
  });
});
