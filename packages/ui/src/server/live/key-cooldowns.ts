/** Key-pool cooldowns the gateway reported (its `onKeyCooldown` resilience event), by provider. */
export interface KeyCooldown {
  keyIndex: number;
  /** The upstream status that caused it (401, 429). */
  status: number;
  /** Epoch ms when the key is usable again. */
  availableAt: number;
}

export class KeyCooldowns {
  private readonly byProvider = new Map<string, Map<number, KeyCooldown>>();

  record(event: { provider: string } & KeyCooldown): void {
    let keys = this.byProvider.get(event.provider);
    if (!keys) {
      keys = new Map();
      this.byProvider.set(event.provider, keys);
    }
    keys.set(event.keyIndex, {
      keyIndex: event.keyIndex,
      status: event.status,
      availableAt: event.availableAt,
    });
  }

  /** Keys of `provider` still cooling down at `now`. */
  activeFor(provider: string, now: number): KeyCooldown[] {
    const keys = this.byProvider.get(provider);
    if (!keys) return [];
    for (const [index, cooldown] of keys) if (cooldown.availableAt <= now) keys.delete(index);
    return [...keys.values()].sort((left, right) => left.keyIndex - right.keyIndex);
  }
}
