import { describe, expect, it } from '@jest/globals';
import { type ConduitConfig, ConfigError, parseConfig } from '@conduit/core';
import { resolveListenAddress } from './server-address.js';

const config = (input: Record<string, unknown>) => parseConfig(input) as ConduitConfig;

describe('resolveListenAddress', () => {
  it.each<
    [
      string,
      { port?: number; host?: string },
      Record<string, unknown>,
      { port: number; host: string },
    ]
  >([
    ['defaults', {}, {}, { port: 3456, host: '127.0.0.1' }],
    ['CCR PORT/HOST', {}, { PORT: 4000, HOST: '0.0.0.0' }, { port: 4000, host: '0.0.0.0' }],
    [
      'server section beats PORT/HOST',
      {},
      { PORT: 4000, server: { port: 5000, host: '::1' } },
      { port: 5000, host: '::1' },
    ],
    [
      'options beat everything',
      { port: 0, host: 'localhost' },
      { PORT: 4000, server: { port: 5000 } },
      { port: 0, host: 'localhost' },
    ],
  ])('%s', (_name, options, input, expected) => {
    expect(resolveListenAddress(options, config(input), {})).toEqual(expected);
  });

  it('uses the PORT environment variable when neither options nor config set a port', () => {
    expect(resolveListenAddress({}, config({}), { PORT: '4567' }).port).toBe(4567);
    expect(resolveListenAddress({}, config({ PORT: 4000 }), { PORT: '4567' }).port).toBe(4000);
    expect(resolveListenAddress({ port: 0 }, config({}), { PORT: '4567' }).port).toBe(0);
    expect(resolveListenAddress({}, config({}), { PORT: '' }).port).toBe(3456);
  });

  it('rejects a PORT environment variable that is not a port, naming it and the fix', () => {
    for (const bad of ['abc', '70000', '-1', '80.5']) {
      expect(() => resolveListenAddress({}, config({}), { PORT: bad })).toThrow(ConfigError);
      expect(() => resolveListenAddress({}, config({}), { PORT: bad })).toThrow(
        /PORT: the PORT environment variable is .* not a port number Fix: set PORT to a number/,
      );
    }
    // A port from the config makes an unusable PORT irrelevant.
    expect(resolveListenAddress({}, config({ PORT: 4000 }), { PORT: 'abc' }).port).toBe(4000);
  });
});
