import { describe, expect, it } from '@jest/globals';
import { parseConfig as parseConduitConfig } from '../config/parse-config.js';
import { collectSecrets, createRedactingLogger, redactText } from './redact-secrets.js';

const config = parseConduitConfig({
  APIKEY: 'k9',
  PROXY_URL: 'http://proxy-user:pr0xy-pa55@proxy.internal:3128',
  Providers: [
    {
      name: 'local',
      api_base_url: 'http://127.0.0.1:11434/v1/chat/completions',
      api_key: 'x1',
      models: ['m'],
    },
    {
      name: 'corp',
      api_base_url: 'https://llm.corp.example/v1/chat/completions',
      api_keys: ['first-pool-key-123456', 'second-pool-key-654321'],
      headers: {
        Authorization: 'Bearer corp-header-token-abcdef',
        'x-tenant-secret': 'tenant-s3cret',
      },
      models: ['m'],
    },
  ],
  Router: { default: 'local,m' },
});

describe('the redactor', () => {
  const secrets = collectSecrets(config);

  it('knows every configured secret: keys of any length, header values, proxy credentials', () => {
    expect(secrets).toEqual(
      expect.arrayContaining([
        'k9',
        'x1',
        'first-pool-key-123456',
        'second-pool-key-654321',
        'Bearer corp-header-token-abcdef',
        'corp-header-token-abcdef',
        'tenant-s3cret',
        'proxy-user:pr0xy-pa55',
        'pr0xy-pa55',
      ]),
    );
  });

  it('hides them in text, short ones only where they stand alone', () => {
    const text =
      'key=k9 pool first-pool-key-123456 auth corp-header-token-abcdef tenant tenant-s3cret via http://proxy-user:pr0xy-pa55@proxy.internal k9x ak9 x1';
    expect(redactText(text, secrets)).toBe(
      'key=[redacted] pool [redacted] auth [redacted] tenant [redacted] via http://[redacted]@proxy.internal k9x ak9 [redacted]',
    );
  });

  it('hides well-known key shapes that are not in the config', () => {
    const text =
      'echo sk-ant-api03-AbCdEfGhIjKlMnOpQrSt and AIzaSyA1234567890abcdefghijklmnopqrstu and Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload and ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    expect(redactText(text, [])).toBe(
      'echo [redacted] and [redacted] and Authorization: Bearer [redacted] and [redacted]',
    );
  });

  it('redacts every log line, even when the config has no secret', () => {
    const lines: string[] = [];
    const sink = (text: string, details?: Record<string, unknown>) =>
      void lines.push(`${text} ${JSON.stringify(details ?? {})}`);
    const logger = createRedactingLogger(
      { trace: sink, debug: sink, info: sink, warn: sink, error: sink },
      () => [],
    );
    logger.warn('upstream said sk-proj-abcdefghijklmnop1234', { body: 'Bearer abcdefghijklmnop' });
    expect(lines).toEqual(['upstream said [redacted] {"body":"Bearer [redacted]"}']);
  });

  it('skips a level its logger drops, and says so to callers', () => {
    const lines: string[] = [];
    const sink = (text: string) => void lines.push(text);
    const logger = createRedactingLogger(
      {
        trace: sink,
        debug: sink,
        info: sink,
        warn: sink,
        error: sink,
        isLevelEnabled: level => level !== 'debug' && level !== 'trace',
      },
      () => [],
    );
    logger.debug('dropped sk-proj-abcdefghijklmnop1234');
    logger.info('kept sk-proj-abcdefghijklmnop1234');
    expect(lines).toEqual(['kept [redacted]']);
    expect(logger.isLevelEnabled?.('debug')).toBe(false);
    expect(logger.isLevelEnabled?.('warn')).toBe(true);
  });
});
