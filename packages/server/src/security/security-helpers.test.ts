import { describe, expect, it } from '@jest/globals';
import { isPublicRoute } from '../middleware/edge-middleware.js';
import { apiKeyMatches, presentedCredentials } from './api-key-auth.js';
import { assertSafeBind, isLoopbackHost } from './bind-guard.js';
import { collectSecrets, createRedactingLogger, redactText } from '@conduit/core';
import { parseConduitConfig } from '../config/parse-conduit-config.js';

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
    ['example.com', false],
    ['::ffff:10.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('lets a public bind through only with a key', () => {
    expect(() => assertSafeBind('0.0.0.0', undefined)).toThrow(/Refusing to listen/);
    expect(() => assertSafeBind('0.0.0.0', 'a-key')).not.toThrow();
    expect(() => assertSafeBind('127.0.0.1', undefined)).not.toThrow();
  });
});

describe('API key helpers', () => {
  it('compares keys of any length without throwing', () => {
    expect(apiKeyMatches('secret', 'secret')).toBe(true);
    expect(apiKeyMatches('secret', 'secret-but-longer')).toBe(false);
    expect(apiKeyMatches('', 'secret')).toBe(false);
  });

  it('reads x-api-key and Authorization (Bearer or bare)', () => {
    expect(presentedCredentials(new Headers({ 'x-api-key': ' k1 ' }))).toEqual(['k1']);
    expect(presentedCredentials(new Headers({ authorization: 'Bearer k2' }))).toEqual(['k2']);
    expect(presentedCredentials(new Headers({ authorization: 'bearer   k3' }))).toEqual(['k3']);
    expect(presentedCredentials(new Headers({ authorization: 'k4' }))).toEqual(['k4']);
    expect(presentedCredentials(new Headers())).toEqual([]);
  });

  it('keeps health, HEAD / and (by default) metrics public', () => {
    const settings = { apiKey: 'k', cors: false, metricsAuth: undefined, publicHealth: false };
    expect(isPublicRoute('GET', '/health', settings)).toBe(true);
    expect(isPublicRoute('GET', '/health/ready', settings)).toBe(false);
    expect(isPublicRoute('GET', '/health/ready', { ...settings, publicHealth: true })).toBe(true);
    expect(isPublicRoute('HEAD', '/', settings)).toBe(true);
    expect(isPublicRoute('GET', '/metrics', settings)).toBe(false);
    expect(isPublicRoute('GET', '/metrics', { ...settings, metricsAuth: false })).toBe(true);
    expect(isPublicRoute('GET', '/metrics', { ...settings, metricsAuth: true })).toBe(false);
    expect(isPublicRoute('POST', '/health', settings)).toBe(false);
    expect(isPublicRoute('GET', '/api/usage', settings)).toBe(false);
  });
});

describe('secret redaction', () => {
  const config = parseConduitConfig({
    APIKEY: 'inbound-key-123456',
    Providers: [
      {
        name: 'p',
        api_base_url: 'http://127.0.0.1:1/v1/chat/completions',
        api_key: 'sk-first-key-abc',
        api_keys: ['sk-first-key-abc-longer', 'short'],
        models: ['m'],
      },
    ],
    Router: { default: 'p,m' },
  });

  it('collects provider keys and APIKEY, longest first, short values too', () => {
    expect(collectSecrets(config)).toEqual([
      'sk-first-key-abc-longer',
      'inbound-key-123456',
      'sk-first-key-abc',
      'short',
    ]);
  });

  it('redacts messages and nested details', () => {
    const secrets = collectSecrets(config);
    expect(redactText('key sk-first-key-abc-longer!', secrets)).toBe('key [redacted]!');
    const lines: unknown[] = [];
    const sink = (message: string, details?: Record<string, unknown>) =>
      lines.push([message, details]);
    const logger = createRedactingLogger(
      { trace: sink, debug: sink, info: sink, warn: sink, error: sink },
      () => secrets,
    );
    logger.debug('sent inbound-key-123456', {
      nested: { list: ['sk-first-key-abc'] },
      error: new Error('bad key sk-first-key-abc'),
      count: 3,
    });
    expect(JSON.stringify(lines)).not.toMatch(/sk-first|inbound-key/);
    expect(lines[0]).toEqual([
      'sent [redacted]',
      {
        nested: { list: ['[redacted]'] },
        error: expect.objectContaining({ message: 'bad key [redacted]' }),
        count: 3,
      },
    ]);
  });
});
