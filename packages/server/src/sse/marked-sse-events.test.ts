import { describe, expect, it } from '@jest/globals';
import { type EventSourceMessage, createParser } from 'eventsource-parser';
import { createMarkedEventScanner } from './marked-sse-events.js';

const markers = ['message_', 'error'];
const encoder = new TextEncoder();

/** What the scanner must report: the parser's events that spell a marker in their name or data. */
function expectedEvents(bytes: Uint8Array): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: event => {
      const frame = `${event.event ?? ''}\n${event.data}`;
      if (markers.some(marker => frame.includes(marker))) {
        events.push({ id: undefined, event: event.event, data: event.data });
      }
    },
  });
  parser.feed(new TextDecoder().decode(bytes));
  // The parser holds a final CR in case an LF follows; the scanner needs no more than `\r\r`.
  if (bytes.at(-1) === 13) parser.feed('\n');
  return events;
}

function scan(chunks: Uint8Array[]): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const scanner = createMarkedEventScanner(markers, event => events.push(event));
  for (const chunk of chunks) scanner.push(chunk);
  return events;
}

const frames = [
  'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":40}}}\n\n',
  ': a comment line\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0}\n\n',
  'event: ping\ndata: {"type": "ping"}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"héllo wörld 😀"}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"an error, ünïcode ✓"}}\n\n',
  'data: {"type":"message_delta","note":"no event line"}\n\n',
  'event:content_block_delta\r\n\r\n',
  'event: message_delta\ndata: {"type":"message_delta",\ndata: "usage":{"output_tokens":9}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];
const lf = frames.join('');

const withLineEnds = (text: string, lineEnd: string) => text.replace(/\n/g, lineEnd);

const cases: [string, string][] = [
  ['LF', lf],
  ['CRLF', withLineEnds(lf, '\r\n')],
  ['CR', withLineEnds(lf, '\r')],
  ['mixed', lf.replace(/\n\n/g, '\n\r\n').replace('\ndata', '\r\ndata')],
  ['BOM', `\ufeff${lf}`],
  ['no blank line at the end', `${lf}event: message_delta\ndata: {"type":"message_delta"}\n`],
];

describe('createMarkedEventScanner', () => {
  it.each(cases)('reports the marked events of one chunk (%s)', (_name, text) => {
    const bytes = encoder.encode(text);
    const expected = expectedEvents(bytes);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(scan([bytes])).toEqual(expected);
  });

  it.each(cases)('reports the same events split in two at every offset (%s)', (_name, text) => {
    const bytes = encoder.encode(text);
    const expected = expectedEvents(bytes);
    for (let offset = 0; offset <= bytes.length; offset++) {
      const events = scan([bytes.subarray(0, offset), bytes.subarray(offset)]);
      if (JSON.stringify(events) !== JSON.stringify(expected)) {
        throw new Error(`split at ${offset}: ${JSON.stringify(events)}`);
      }
    }
  });

  it.each(cases)('reports the same events fed one byte at a time (%s)', (_name, text) => {
    const bytes = encoder.encode(text);
    const chunks = Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1));
    expect(scan(chunks)).toEqual(expectedEvents(bytes));
  });

  it('reports the same events split in three at many offsets', () => {
    const bytes = encoder.encode(withLineEnds(lf, '\r\n'));
    const expected = expectedEvents(bytes);
    for (let first = 0; first <= bytes.length; first += 7) {
      for (let second = first; second <= bytes.length; second += 5) {
        const events = scan([
          bytes.subarray(0, first),
          bytes.subarray(first, second),
          bytes.subarray(second),
        ]);
        if (JSON.stringify(events) !== JSON.stringify(expected)) {
          throw new Error(`split at ${first}, ${second}: ${JSON.stringify(events)}`);
        }
      }
    }
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const bytes = encoder.encode('event: error\ndata: {"message":"ü😀"}\n\n');
    const at = bytes.indexOf(0xf0) + 2;
    expect(scan([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
      { id: undefined, event: 'error', data: '{"message":"ü😀"}' },
    ]);
  });

  it('drops a byte order mark only at the start of the stream', () => {
    const text = '\ufeffdata: {"type":"message_stop"}\n\ndata: \ufeff{"type":"message_stop"}\n\n';
    expect(scan([encoder.encode(text)]).map(event => event.data)).toEqual([
      '{"type":"message_stop"}',
      '\ufeff{"type":"message_stop"}',
    ]);
  });

  it('skips events without a marker, whatever their name', () => {
    const text = 'event: message_start\ndata: {}\n\nevent: unknown\ndata: {"type":"other"}\n\n';
    expect(scan([encoder.encode(text)])).toEqual([
      { id: undefined, event: 'message_start', data: '{}' },
    ]);
  });
});
