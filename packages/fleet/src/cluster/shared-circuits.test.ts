/**
 * Shared circuits between two instances on one Redis (real pub/sub, fake servers): openings and
 * closings reach the peer, a peer's change is never announced back, and disagreeing verdicts
 * settle on the later one everywhere instead of flapping.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { silentLogger } from '@conduit/core';
import { redisTestURL, shouldRunRedisTests } from '../test-redis.js';
import { type CircuitHost, SharedCircuits } from './shared-circuits.js';
import { SharedState } from './shared-state.js';

/** A server's circuits as far as sharing goes: state per target, changes reported like the server. */
class FakeServer implements CircuitHost {
  state = 'closed';
  openUntil = 0;
  changes: string[] = [];
  constructor(private readonly report: (state: string) => void) {}
  getCircuitStates() {
    return [
      {
        provider: 'p',
        model: 'm',
        state: this.state,
        ...(this.state === 'open' ? { retryAt: new Date(this.openUntil).toISOString() } : {}),
      },
    ];
  }
  openCircuit(_target: unknown, openUntil: number) {
    this.set('open', openUntil);
  }
  closeCircuit() {
    if (this.state !== 'closed') this.set('closed');
  }
  /** A local verdict (or a peer's, through the methods above): the server reports it. */
  set(state: string, openUntil = 0) {
    this.state = state;
    this.openUntil = openUntil;
    this.changes.push(state);
    this.report(state);
  }
}

const target = { provider: 'p', model: 'm' };
const states: SharedState[] = [];

afterEach(async () => {
  for (const state of states.splice(0)) await state.close();
});

async function instance(prefix: string, now: () => number) {
  const shared = new SharedState(redisTestURL!, prefix, silentLogger);
  states.push(shared);
  expect(await shared.ready(10_000)).toBe(true);
  const circuits = new SharedCircuits(shared, now);
  const server = new FakeServer(state => circuits.onCircuitStateChange(target, state));
  circuits.attach(server);
  return { shared, circuits, server };
}

async function until(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 15_000) throw new Error('condition not reached');
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

(shouldRunRedisTests('fleet shared circuits') ? describe : describe.skip)('SharedCircuits', () => {
  it('shares openings and closings, and never announces a peer change back', async () => {
    const prefix = `conduit-test:${randomUUID()}:`;
    let clock = 1_000;
    const a = await instance(prefix, () => clock);
    const b = await instance(prefix, () => clock);
    a.server.set('open', Date.now() + 60_000);
    await until(() => b.server.state === 'open');
    clock = 2_000;
    a.server.set('closed');
    await until(() => b.server.state === 'closed');
    expect(b.circuits.peerChangesApplied).toEqual({ opened: 1, closed: 1 });
    // Nothing came back to A: B applied the changes without announcing them. (Redis delivers one
    // connection's messages in order, so an echo would arrive before this probe.)
    let probed = false;
    a.shared.onEvent(event => {
      if (event.type === 'key-changed' && event.id === 'probe') probed = true;
    });
    await b.shared.publish({ type: 'key-changed', id: 'probe' });
    await until(() => probed);
    expect(a.circuits.peerChangesApplied).toEqual({ opened: 0, closed: 0 });
    expect(a.server.changes).toEqual(['open', 'closed']);
  });

  it('settles disagreeing trial verdicts on the later one on both instances', async () => {
    const prefix = `conduit-test:${randomUUID()}:`;
    let clockA = 0;
    let clockB = 0;
    const a = await instance(prefix, () => clockA);
    const b = await instance(prefix, () => clockB);
    // B's trial failed at 100 and reopened; A's trial succeeded at 200 and closed. Each
    // announcement crosses the other: the later verdict (closed) must win on both.
    clockB = 100;
    clockA = 200;
    b.server.set('open', Date.now() + 60_000);
    a.server.set('closed');
    await until(
      () => a.circuits.peerChangesApplied.opened + b.circuits.peerChangesApplied.closed > 0,
    );
    await until(() => b.server.state === 'closed');
    expect(a.server.state).toBe('closed');
    expect(a.circuits.peerChangesApplied.opened).toBe(0);

    // Later, B's next trial fails again (at 300): now the opening is the later verdict.
    clockB = 300;
    b.server.set('open', Date.now() + 60_000);
    await until(() => a.server.state === 'open');
    expect(b.server.state).toBe('open');
  });
});
