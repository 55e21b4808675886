import type { FleetEvent, SharedState } from './shared-state.js';

/** What shared circuits need from the server (a `ConduitServer` is one). */
export interface CircuitHost {
  getCircuitStates(): Array<{ provider: string; model: string; state: string; retryAt?: string }>;
  openCircuit(target: { provider: string; model: string }, openUntil: number): void;
  closeCircuit(target: { provider: string; model: string }): void;
}

type CircuitTarget = { provider: string; model: string };

/**
 * Circuit-breaker state seen by every instance. A circuit this instance opens is announced, and
 * one another instance opened is opened here too, so the fleet spares a failing target after the
 * first instance found it failing. A circuit this instance closes (its half-open trial succeeded)
 * is announced too, and closed wherever it is open, so the others stop skipping a target that
 * works again.
 *
 * No flapping: a change applied from a peer is never announced back, and each target keeps the
 * time of the latest change this instance knows of; a peer's change older than that is ignored.
 * Two instances whose trials disagree (one closes, the other reopens) therefore settle on the
 * later verdict everywhere instead of echoing each other.
 */
export class SharedCircuits {
  private host: CircuitHost | undefined;
  /** Set while applying a peer's change, so it is not announced back. */
  private applying = false;
  /** Per target: when its latest known change happened (epoch ms). */
  private readonly lastChange = new Map<string, number>();
  private readonly applied = { opened: 0, closed: 0 };

  constructor(
    private readonly shared: SharedState,
    private readonly now: () => number = Date.now,
  ) {
    shared.onEvent(event => this.receive(event));
  }

  attach(host: CircuitHost): void {
    this.host = host;
  }

  /** Peers' changes applied here so far (for `/health`). */
  get peerChangesApplied(): { opened: number; closed: number } {
    return { ...this.applied };
  }

  /** Hook for the server's `onCircuitStateChange`. */
  onCircuitStateChange = (target: CircuitTarget, state: string): void => {
    if (this.applying || !this.host) return;
    if (state === 'closed') {
      const at = this.now();
      this.lastChange.set(keyOf(target), at);
      void this.shared.publish({ type: 'circuit-closed', ...pick(target), at });
      return;
    }
    if (state !== 'open') return;
    const report = this.host
      .getCircuitStates()
      .find(entry => entry.provider === target.provider && entry.model === target.model);
    const openUntil = report?.retryAt ? Date.parse(report.retryAt) : Number.NaN;
    if (!Number.isFinite(openUntil)) return;
    const at = this.now();
    this.lastChange.set(keyOf(target), at);
    void this.shared.publish({ type: 'circuit-open', ...pick(target), openUntil, at });
  };

  private receive(event: FleetEvent): void {
    const host = this.host;
    if (!host || (event.type !== 'circuit-open' && event.type !== 'circuit-closed')) return;
    // Whatever is on the channel is checked: a malformed event must not open a circuit for good.
    if (typeof event.provider !== 'string' || typeof event.model !== 'string') return;
    if (event.type === 'circuit-open' && !Number.isFinite(event.openUntil)) return;
    if (event.at !== undefined && !Number.isFinite(event.at)) return;
    const key = keyOf(event);
    // Peers that predate `at` on openings announce none: treat their opening as new.
    const at = event.at ?? this.now();
    if (at <= (this.lastChange.get(key) ?? Number.NEGATIVE_INFINITY)) return;
    this.lastChange.set(key, at);
    this.applying = true;
    try {
      if (event.type === 'circuit-open') {
        host.openCircuit(pick(event), event.openUntil);
        this.applied.opened++;
      } else {
        host.closeCircuit(pick(event));
        this.applied.closed++;
      }
    } finally {
      this.applying = false;
    }
  }
}

function pick(target: CircuitTarget): CircuitTarget {
  return { provider: target.provider, model: target.model };
}

function keyOf(target: CircuitTarget): string {
  return `${target.provider}\u0000${target.model}`;
}
