import { describe, expect, it } from '@jest/globals';
import {
  ConduitError,
  ConfigError,
  NoRouteError,
  ProviderAPIError,
  isRetryableStatus,
} from './index.js';

describe('ConduitError markers', () => {
  it('identifies subclasses without instanceof', () => {
    const error = new ProviderAPIError({ message: 'boom', provider: 'p', statusCode: 503 });
    expect(ConduitError.isInstance(error)).toBe(true);
    expect(ProviderAPIError.isInstance(error)).toBe(true);
    expect(ConfigError.isInstance(error)).toBe(false);
    expect(ProviderAPIError.isInstance({ message: 'plain' })).toBe(false);
  });

  it('marks network failures and 408/409/429/5xx retryable', () => {
    expect([undefined, 408, 409, 429, 500, 529].map(isRetryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 404, 413].map(isRetryableStatus)).toEqual([false, false, false, false]);
    expect(new ProviderAPIError({ message: 'x', provider: 'p' }).failure).toBe('connection');
  });

  it('formats every config issue with its path and fix', () => {
    const error = new ConfigError({
      source: '/tmp/config.json',
      issues: [
        {
          path: 'Router.default',
          message: 'names provider "x", which is not in Providers.',
          hint: 'add it.',
        },
        { path: 'PORT', message: 'must be a number.' },
      ],
    });
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain('Router.default: names provider "x"');
    expect(error.message).toContain('Fix: add it.');
    expect(new NoRouteError({ message: 'm', kind: 'no-providers' }).choices).toEqual([]);
  });
});
