import { describe, expect, it } from '@jest/globals';
import { type ParsedConduitConfig, parseConfig } from '@conduit/core';
import { resolveListenAddress } from './server-address.js';

const config = (input: Record<string, unknown>) => parseConfig(input) as ParsedConduitConfig;

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
    expect(resolveListenAddress(options, config(input))).toEqual(expected);
  });
});
