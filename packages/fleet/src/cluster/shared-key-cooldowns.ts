import type { FleetEvent, SharedState } from './shared-state.js';

/** A provider key refused by the upstream (429/401): the server's `KeyCooldownEvent`. */
export interface SharedKeyCooldown {
  provider: string;
  /** The key's position in the provider's pool (`api_key`, then `api_keys`): never the key. */
  keyIndex: number;
  /** When the key is usable again (epoch ms). */
  availableAt: number;
  /** The upstream's answer that caused it (429 or 401). */
  status: number;
}

/** What shared key cooldowns need from the server (a `ConduitServer` is one). */
export interface KeyPoolHost {
  coolDownKey(cooldown: { provider: string; keyIndex: number; availableAt: number }): void;
}

/**
 * Key-pool cooldowns seen by every instance: when an instance puts a provider key in cooldown,
 * the others skip that key until the cooldown ends instead of each finding out with its own 429.
 * Keys travel as their index in the provider's pool, so instances must share the provider config
 * (a fleet does); an index a receiver does not have is ignored. A cooldown applied from a peer
 * does not emit the server's `onKeyCooldown`, so it is never announced back.
 */
export class SharedKeyCooldowns {
  private host: KeyPoolHost | undefined;
  private readonly peerListeners: Array<(cooldown: SharedKeyCooldown) => void> = [];
  private appliedCount = 0;

  constructor(
    private readonly shared: SharedState,
    private readonly now: () => number = Date.now,
  ) {
    shared.onEvent(event => this.receive(event));
  }

  attach(host: KeyPoolHost): void {
    this.host = host;
  }

  /** Peers' cooldowns applied here so far (for `/health`). */
  get peerCooldownsApplied(): number {
    return this.appliedCount;
  }

  /** Also tells `listener` of each peer's cooldown applied here (e.g. the UI's Providers page). */
  onPeerCooldown(listener: (cooldown: SharedKeyCooldown) => void): void {
    this.peerListeners.push(listener);
  }

  /** Hook for the server's `resilienceEvents.onKeyCooldown`. */
  onKeyCooldown = (event: SharedKeyCooldown): void => {
    if (event.availableAt <= this.now()) return;
    void this.shared.publish({
      type: 'key-cooldown',
      provider: event.provider,
      keyIndex: event.keyIndex,
      availableAt: event.availableAt,
      status: event.status,
    });
  };

  private receive(event: FleetEvent): void {
    if (event.type !== 'key-cooldown' || !this.host) return;
    // Whatever is on the channel is checked before it reaches the key pool.
    if (typeof event.provider !== 'string' || !Number.isInteger(event.keyIndex)) return;
    if (!Number.isFinite(event.availableAt) || event.availableAt <= this.now()) return;
    const cooldown = {
      provider: event.provider,
      keyIndex: event.keyIndex,
      availableAt: event.availableAt,
      status: Number.isInteger(event.status) ? event.status : 429,
    };
    this.host.coolDownKey(cooldown);
    this.appliedCount++;
    for (const listener of this.peerListeners) listener(cooldown);
  }
}
