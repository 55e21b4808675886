import type { CircuitState } from '@conduit/core';

/** A circuit's state: one definition, shared with the metrics gauge (`setCircuitState`). */
export type { CircuitState };

/** `resilience.circuitBreaker`. */
export interface CircuitBreakerSettings {
  enabled: boolean;
  failureThreshold: number;
  cooldownMs: number;
}

/** A `provider,model` target. */
export interface CircuitTarget {
  provider: string;
  model: string;
}

/** One circuit as `getCircuitStates()` and the health output report it. */
export interface CircuitStateReport extends CircuitTarget {
  state: CircuitState;
  /** Retryable failures in a row since the last success. */
  consecutiveFailures: number;
  /** While open: when a trial request will be let through (ISO time). */
  retryAt?: string;
}

/** The answer of {@link CircuitBreakerRegistry.acquire}. */
export type CircuitPermit =
  | { allowed: true; trial: boolean }
  | { allowed: false; state: 'open' | 'half-open'; retryAt: number };

interface Circuit {
  target: CircuitTarget;
  state: CircuitState;
  failures: number;
  openUntil: number;
  trialInFlight: boolean;
}

/**
 * Circuit breakers per `provider,model`: after `failureThreshold` consecutive retryable failures
 * a target opens and is skipped; after `cooldownMs` it goes half-open and lets exactly one trial
 * request through; the trial's success closes it, its failure opens it again. Non-retryable
 * answers (400, 401, 404) say nothing about the target's health and change nothing.
 */
export class CircuitBreakerRegistry {
  private readonly circuits = new Map<string, Circuit>();
  private readonly now: () => number;
  private readonly onStateChange: (target: CircuitTarget, state: CircuitState) => void;

  constructor(options: {
    now: () => number;
    onStateChange?: (target: CircuitTarget, state: CircuitState) => void;
  }) {
    this.now = options.now;
    this.onStateChange = options.onStateChange ?? (() => undefined);
  }

  /** May `target` be called now? A half-open circuit admits one trial at a time. */
  acquire(target: CircuitTarget, settings: CircuitBreakerSettings): CircuitPermit {
    if (!settings.enabled) return { allowed: true, trial: false };
    const circuit = this.circuits.get(keyOf(target));
    if (!circuit || circuit.state === 'closed') return { allowed: true, trial: false };
    if (circuit.state === 'open') {
      if (this.now() < circuit.openUntil) {
        return { allowed: false, state: 'open', retryAt: circuit.openUntil };
      }
      this.transition(circuit, 'half-open');
    }
    if (circuit.trialInFlight) {
      return { allowed: false, state: 'half-open', retryAt: this.now() };
    }
    circuit.trialInFlight = true;
    return { allowed: true, trial: true };
  }

  /** The target answered: close its circuit. */
  recordSuccess(target: CircuitTarget): void {
    const circuit = this.circuits.get(keyOf(target));
    if (!circuit) return;
    circuit.failures = 0;
    circuit.trialInFlight = false;
    if (circuit.state !== 'closed') this.transition(circuit, 'closed');
  }

  /** A retryable failure (5xx, 408/409/429, timeout, connection): count it, maybe open. */
  recordFailure(target: CircuitTarget, settings: CircuitBreakerSettings): void {
    if (!settings.enabled) return;
    const circuit = this.circuitOf(target);
    if (circuit.state === 'open') return;
    circuit.failures++;
    const wasTrial = circuit.state === 'half-open';
    circuit.trialInFlight = false;
    if (wasTrial || circuit.failures >= settings.failureThreshold) {
      circuit.openUntil = this.now() + settings.cooldownMs;
      this.transition(circuit, 'open');
    }
  }

  /** A trial ended without a verdict (client gone, non-retryable answer): allow another. */
  release(target: CircuitTarget): void {
    const circuit = this.circuits.get(keyOf(target));
    if (circuit) circuit.trialInFlight = false;
  }

  /**
   * Opens `target` until `openUntil` (epoch ms) because another instance saw it fail (shared
   * circuit state): this instance spares the failing target too. Ignored if already open longer.
   */
  openUntil(target: CircuitTarget, openUntil: number): void {
    if (openUntil <= this.now()) return;
    const circuit = this.circuitOf(target);
    if (circuit.state === 'open' && circuit.openUntil >= openUntil) return;
    circuit.openUntil = openUntil;
    circuit.trialInFlight = false;
    if (circuit.state !== 'open') this.transition(circuit, 'open');
  }

  /**
   * Closes `target` because another instance's trial succeeded (shared circuit state). A closed
   * circuit stays as it is; so does one this instance never saw failing.
   */
  closeFromPeer(target: CircuitTarget): void {
    const circuit = this.circuits.get(keyOf(target));
    if (!circuit || circuit.state === 'closed') return;
    circuit.failures = 0;
    circuit.trialInFlight = false;
    this.transition(circuit, 'closed');
  }

  /** Is `target` open right now (without starting a trial)? */
  isOpen(target: CircuitTarget): boolean {
    const circuit = this.circuits.get(keyOf(target));
    return circuit?.state === 'open' && this.now() < circuit.openUntil;
  }

  /** Every target that has failed at least once, in first-seen order. */
  getStates(): CircuitStateReport[] {
    return [...this.circuits.values()].map(circuit => ({
      ...circuit.target,
      state: circuit.state,
      consecutiveFailures: circuit.failures,
      ...(circuit.state === 'open' ? { retryAt: new Date(circuit.openUntil).toISOString() } : {}),
    }));
  }

  private circuitOf(target: CircuitTarget): Circuit {
    const key = keyOf(target);
    let circuit = this.circuits.get(key);
    if (!circuit) {
      circuit = {
        target: { provider: target.provider, model: target.model },
        state: 'closed',
        failures: 0,
        openUntil: 0,
        trialInFlight: false,
      };
      this.circuits.set(key, circuit);
    }
    return circuit;
  }

  private transition(circuit: Circuit, state: CircuitState): void {
    circuit.state = state;
    this.onStateChange(circuit.target, state);
  }
}

function keyOf(target: CircuitTarget): string {
  return `${target.provider}\u0000${target.model}`;
}
