import { describe, expect, it } from '@jest/globals';
import { parseStartArguments } from './start-arguments.js';

describe('parseStartArguments (the start fast path)', () => {
  it('reads the plain forms of start, with options in any order', () => {
    expect(parseStartArguments(['start'])).toEqual({ daemon: false });
    expect(
      parseStartArguments(['start', '--port', '4000', '--host', '0.0.0.0', '-d', '-c', 'a.json']),
    ).toEqual({ daemon: true, port: 4000, host: '0.0.0.0', config: 'a.json' });
    expect(parseStartArguments(['--config', 'b.json', 'start', '-p', '0'])).toEqual({
      daemon: false,
      config: 'b.json',
      port: 0,
    });
    expect(parseStartArguments(['start', '--daemon-child', '--config', '/x/c.json'])).toEqual({
      daemon: false,
      'daemon-child': true,
      config: '/x/c.json',
    });
  });

  it('leaves everything else to the full parser', () => {
    for (const args of [
      [],
      ['stop'],
      ['statusline'],
      ['-c', 'x.json', 'statusline'],
      ['start', '--help'],
      ['start', '-h'],
      ['start', '--version'],
      ['start', '--port=4000'],
      ['start', '--port', 'abc'],
      ['start', '--port', '65536'],
      ['start', '--port', '-1'],
      ['start', '--port', '04000'],
      ['start', '--port', '1e3'],
      ['start', '--port'],
      ['start', '--host'],
      ['start', '--host', ''],
      ['start', '--port', '1', '--port', '2'],
      ['start', '-d', '--daemon'],
      ['start', '--daemon', 'true'],
      ['start', '--no-daemon'],
      ['start', 'extra'],
      ['start', '--unknown'],
      ['--config', 'a.json', '--config', 'b.json', 'start'],
      ['-c', 'a.json', 'start', '-c', 'b.json'],
      ['--config'],
      ['--config', 'start'],
    ]) {
      expect({ args, parsed: parseStartArguments(args) }).toEqual({ args, parsed: undefined });
    }
  });
});
