import { describe, expect, it } from '@jest/globals';
import { CircuitBreakerRegistry, type CircuitState } from './circuit-breaker.js';

const settings = { enabled: true, failureThreshold: 3, cooldownMs: 1000 };
const target = { provider: 'p', model: 'm' };

function setup() {
  let now = 10_000;
  const changes: CircuitState[] = [];
  const registry = new CircuitBreakerRegistry({
    now: () => now,
    onStateChange: (_target, state) => changes.push(state),
  });
  return { registry, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreakerRegistry', () => {
  it('opens after N consecutive failures, then half-opens for one trial that closes it', () => {
    const { registry, changes, advance } = setup();
    for (let count = 0; count < 3; count++) {
      expect(registry.acquire(target, settings)).toEqual({ allowed: true, trial: false });
      registry.recordFailure(target, settings);
    }
    expect(registry.acquire(target, settings)).toEqual({
      allowed: false,
      state: 'open',
      retryAt: 11_000,
    });
    expect(registry.getStates()).toEqual([
      {
        provider: 'p',
        model: 'm',
        state: 'open',
        consecutiveFailures: 3,
        retryAt: new Date(11_000).toISOString(),
      },
    ]);
    advance(1000);
    expect(registry.acquire(target, settings)).toEqual({ allowed: true, trial: true });
    expect(registry.acquire(target, settings)).toMatchObject({
      allowed: false,
      state: 'half-open',
    });
    registry.recordSuccess(target);
    expect(registry.acquire(target, settings)).toEqual({ allowed: true, trial: false });
    expect(changes).toEqual(['open', 'half-open', 'closed']);
    expect(registry.getStates()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('reopens when the trial fails and admits a new trial after a released one', () => {
    const { registry, changes, advance } = setup();
    for (let count = 0; count < 3; count++) registry.recordFailure(target, settings);
    advance(1000);
    expect(registry.acquire(target, settings)).toMatchObject({ trial: true });
    registry.recordFailure(target, settings);
    expect(registry.isOpen(target)).toBe(true);
    advance(1000);
    expect(registry.acquire(target, settings)).toMatchObject({ trial: true });
    registry.release(target);
    expect(registry.acquire(target, settings)).toMatchObject({ trial: true });
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('resets the count on success and does nothing when disabled', () => {
    const { registry } = setup();
    registry.recordFailure(target, settings);
    registry.recordFailure(target, settings);
    registry.recordSuccess(target);
    registry.recordFailure(target, settings);
    expect(registry.acquire(target, settings)).toEqual({ allowed: true, trial: false });
    const disabled = { ...settings, enabled: false };
    for (let count = 0; count < 10; count++) registry.recordFailure(target, disabled);
    expect(registry.acquire(target, disabled)).toEqual({ allowed: true, trial: false });
    expect(registry.isOpen(target)).toBe(false);
  });

  it("closes an open circuit when another instance's trial succeeded, and leaves closed ones alone", () => {
    const { registry, changes } = setup();
    registry.closeFromPeer(target);
    expect(changes).toEqual([]);
    for (let count = 0; count < 3; count++) registry.recordFailure(target, settings);
    registry.closeFromPeer(target);
    expect(changes).toEqual(['open', 'closed']);
    expect(registry.acquire(target, settings)).toEqual({ allowed: true, trial: false });
    expect(registry.getStates()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });
});
