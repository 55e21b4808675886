import type { SharedState } from './shared-state.js';

/** What shared circuits need from the server. */
export interface CircuitHost {
  getCircuitStates(): Array<{ provider: string; model: string; state: string; retryAt?: string }>;
  openCircuit(target: { provider: string; model: string }, openUntil: number): void;
}

/**
 * Circuit-breaker state seen by every instance: a circuit this instance opens is announced (and
 * kept in Redis until it would half-open), and one another instance opened is opened here too,
 * so the fleet spares a failing target after the first instance found it failing.
 */
export class SharedCircuits {
  private host: CircuitHost | undefined;
  /** Set while applying a peer's circuit, so it is not announced back. */
  private applying = false;

  constructor(private readonly shared: SharedState) {
    shared.onEvent(event => {
      if (event.type !== 'circuit-open' || !this.host) return;
      this.applying = true;
      try {
        this.host.openCircuit(event, event.openUntil);
      } finally {
        this.applying = false;
      }
    });
  }

  attach(host: CircuitHost): void {
    this.host = host;
  }

  /** Hook for the server's `onCircuitStateChange`. */
  onCircuitStateChange = (target: { provider: string; model: string }, state: string): void => {
    if (state !== 'open' || this.applying || !this.host) return;
    const report = this.host
      .getCircuitStates()
      .find(entry => entry.provider === target.provider && entry.model === target.model);
    const openUntil = report?.retryAt ? Date.parse(report.retryAt) : Number.NaN;
    if (!Number.isFinite(openUntil)) return;
    void this.shared.publish({
      type: 'circuit-open',
      provider: target.provider,
      model: target.model,
      openUntil,
    });
  };
}
