import type { ParsedProviderConfig } from '@conduit/core';

/**
 * A provider's keys in pool order: `api_key` first, then `api_keys`, without duplicates or empty
 * strings. Index 0 is what a provider with one key always uses.
 */
export function listProviderKeys(provider: ParsedProviderConfig): string[] {
  const keys: string[] = [];
  for (const key of [provider.api_key, ...(provider.api_keys ?? [])]) {
    if (key && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

const keysByProvider = new WeakMap<ParsedProviderConfig, readonly string[]>();

/**
 * {@link listProviderKeys} once per provider entry (a parsed config is not changed in place; a
 * reload brings new entries): the gateway needs the list on every attempt.
 */
export function providerKeysOf(provider: ParsedProviderConfig): readonly string[] {
  let keys = keysByProvider.get(provider);
  if (!keys) {
    keys = listProviderKeys(provider);
    keysByProvider.set(provider, keys);
  }
  return keys;
}

/** The key to use for one attempt (an index, so the key itself never travels in reports). */
export interface KeyChoice {
  /** Index into {@link listProviderKeys}; undefined when the provider has no key at all. */
  index: number | undefined;
  /** True when every candidate key was cooling down and this is the one that recovers first. */
  cooling: boolean;
  /** When the chosen key stops cooling (ms since the epoch; now or earlier when not cooling). */
  availableAt: number;
}

interface ProviderKeyState {
  keys: readonly string[];
  next: number;
  coolingUntil: number[];
}

/**
 * Round-robin key rotation with cooldowns, per provider name. A key answered with 429 or 401
 * cools down and is skipped while others are available. The state survives config reloads as long
 * as the provider's key list stays the same; a changed list starts fresh.
 */
export class KeyPool {
  private readonly states = new Map<string, ProviderKeyState>();
  private readonly now: () => number;

  constructor(options: { now: () => number }) {
    this.now = options.now;
  }

  /**
   * The next key for `provider`: round-robin over keys that are not cooling and not in `exclude`;
   * when all candidates are cooling, the one that recovers soonest (`cooling: true`).
   */
  choose(provider: ParsedProviderConfig, exclude: ReadonlySet<number> = new Set()): KeyChoice {
    const now = this.now();
    const state = this.stateOf(provider);
    const count = state.keys.length;
    if (count === 0) return { index: undefined, cooling: false, availableAt: now };
    let soonest: number | undefined;
    for (let step = 0; step < count; step++) {
      const index = (state.next + step) % count;
      if (exclude.has(index)) continue;
      const until = state.coolingUntil[index] ?? 0;
      if (until <= now) {
        state.next = (index + 1) % count;
        return { index, cooling: false, availableAt: until };
      }
      if (soonest === undefined || until < (state.coolingUntil[soonest] ?? 0)) soonest = index;
    }
    if (soonest === undefined) {
      // Every key is excluded: reuse the round-robin position rather than failing.
      const index = state.next % count;
      state.next = (index + 1) % count;
      return { index, cooling: false, availableAt: now };
    }
    state.next = (soonest + 1) % count;
    return { index: soonest, cooling: true, availableAt: state.coolingUntil[soonest] ?? now };
  }

  /** True when `provider` has a key outside `exclude` that is not cooling down. */
  hasAvailableKey(provider: ParsedProviderConfig, exclude: ReadonlySet<number>): boolean {
    const now = this.now();
    const state = this.stateOf(provider);
    return state.keys.some(
      (_key, index) => !exclude.has(index) && (state.coolingUntil[index] ?? 0) <= now,
    );
  }

  /** Number of keys of `provider` in the pool. */
  size(provider: ParsedProviderConfig): number {
    return this.stateOf(provider).keys.length;
  }

  /** Starts a cooldown of `durationMs` for key `index` (a longer running cooldown is kept). */
  coolDown(provider: ParsedProviderConfig, index: number, durationMs: number): void {
    const state = this.stateOf(provider);
    if (index < 0 || index >= state.keys.length) return;
    const until = this.now() + Math.max(0, durationMs);
    state.coolingUntil[index] = Math.max(state.coolingUntil[index] ?? 0, until);
  }

  /**
   * Cools key `index` until `availableAt` (epoch ms), as another instance reported (shared
   * key-pool state). Unknown indices are ignored; a longer running cooldown is kept.
   */
  coolDownUntil(provider: ParsedProviderConfig, index: number, availableAt: number): void {
    const state = this.stateOf(provider);
    if (index < 0 || index >= state.keys.length) return;
    state.coolingUntil[index] = Math.max(state.coolingUntil[index] ?? 0, availableAt);
  }

  /** Cooldown ends per key index (ms since the epoch; 0 = never cooled), for health output. */
  getCooldowns(provider: ParsedProviderConfig): number[] {
    return [...this.stateOf(provider).coolingUntil];
  }

  private stateOf(provider: ParsedProviderConfig): ProviderKeyState {
    const keys = providerKeysOf(provider);
    const existing = this.states.get(provider.name);
    if (
      existing &&
      (existing.keys === keys ||
        (existing.keys.length === keys.length &&
          existing.keys.every((key, index) => key === keys[index])))
    ) {
      return existing;
    }
    const fresh: ProviderKeyState = { keys, next: 0, coolingUntil: keys.map(() => 0) };
    this.states.set(provider.name, fresh);
    return fresh;
  }
}
