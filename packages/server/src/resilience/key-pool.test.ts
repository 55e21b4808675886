import { describe, expect, it } from '@jest/globals';
import type { ParsedProviderConfig } from '@conduit/core';
import { KeyPool, listProviderKeys } from './key-pool.js';

const provider = (extra: Partial<ParsedProviderConfig> = {}): ParsedProviderConfig =>
  ({
    name: 'pool',
    api_base_url: 'http://127.0.0.1:1/v1/chat/completions',
    models: ['m'],
    api_keys: ['k0', 'k1', 'k2'],
    ...extra,
  }) as ParsedProviderConfig;

describe('listProviderKeys', () => {
  it('puts api_key first, then api_keys, without duplicates or blanks', () => {
    expect(listProviderKeys(provider({ api_key: 'k1' }))).toEqual(['k1', 'k0', 'k2']);
    expect(listProviderKeys(provider({ api_keys: undefined, api_key: '' }))).toEqual([]);
  });
});

describe('KeyPool', () => {
  it('rotates round-robin across requests', () => {
    const pool = new KeyPool({ now: () => 0 });
    const picks = Array.from({ length: 5 }, () => pool.choose(provider()).index);
    expect(picks).toEqual([0, 1, 2, 0, 1]);
  });

  it('skips cooling keys and brings them back after the cooldown', () => {
    let now = 1000;
    const pool = new KeyPool({ now: () => now });
    pool.coolDown(provider(), 1, 500);
    expect(Array.from({ length: 4 }, () => pool.choose(provider()).index)).toEqual([0, 2, 0, 2]);
    expect(pool.hasAvailableKey(provider(), new Set([0, 2]))).toBe(false);
    now = 1500;
    expect(pool.hasAvailableKey(provider(), new Set([0, 2]))).toBe(true);
    expect(Array.from({ length: 3 }, () => pool.choose(provider()).index)).toEqual([0, 1, 2]);
  });

  it('uses the key that recovers soonest when all are cooling', () => {
    const pool = new KeyPool({ now: () => 0 });
    pool.coolDown(provider(), 0, 3000);
    pool.coolDown(provider(), 1, 1000);
    pool.coolDown(provider(), 2, 2000);
    expect(pool.choose(provider())).toEqual({ index: 1, cooling: true, availableAt: 1000 });
  });

  it('honours exclusions and keeps the longer of two cooldowns', () => {
    const pool = new KeyPool({ now: () => 0 });
    pool.coolDown(provider(), 0, 5000);
    pool.coolDown(provider(), 0, 10);
    expect(pool.getCooldowns(provider())).toEqual([5000, 0, 0]);
    expect(pool.choose(provider(), new Set([1])).index).toBe(2);
  });

  it('starts fresh when the key list changes and handles providers without keys', () => {
    const pool = new KeyPool({ now: () => 0 });
    pool.coolDown(provider(), 0, 5000);
    expect(pool.getCooldowns(provider({ api_keys: ['new0', 'new1'] }))).toEqual([0, 0]);
    expect(pool.choose(provider({ api_keys: [] }))).toEqual({
      index: undefined,
      cooling: false,
      availableAt: 0,
    });
    expect(pool.size(provider({ api_keys: undefined, api_key: 'only' }))).toBe(1);
  });

  it('cools a key until the time another instance reported, ignoring unknown indices', () => {
    let now = 1000;
    const pool = new KeyPool({ now: () => now });
    pool.coolDownUntil(provider(), 0, 5000);
    pool.coolDownUntil(provider(), 7, 5000);
    expect(pool.choose(provider()).index).toBe(1);
    expect(pool.choose(provider()).index).toBe(2);
    expect(pool.choose(provider()).index).toBe(1);
    now = 5000;
    expect(pool.getCooldowns(provider())).toEqual([5000, 0, 0]);
    expect(pool.choose(provider()).index).toBe(2);
    expect(pool.choose(provider()).index).toBe(0);
  });
});
