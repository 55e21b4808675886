import type { SynapseDecisionRecord } from '../routing/create-synapse-plugin.js';

/**
 * Routing decisions by request id, from the plugin's `afterRouting` until the request has
 * finished (then `take` removes them). Bounded: decisions whose request never finishes through the
 * server (in-process `route()` calls) are evicted oldest first.
 */
export class DecisionRegistry {
  private readonly records = new Map<string, SynapseDecisionRecord>();

  constructor(private readonly maxEntries = 10000) {}

  add(record: SynapseDecisionRecord): void {
    if (record.requestId === undefined) return;
    this.records.delete(record.requestId);
    this.records.set(record.requestId, record);
    while (this.records.size > this.maxEntries) {
      const oldest = this.records.keys().next().value;
      if (oldest === undefined) break;
      this.records.delete(oldest);
    }
  }

  /** The record of a request, left in place. */
  get(requestId: string): SynapseDecisionRecord | undefined {
    return this.records.get(requestId);
  }

  /** Removes and returns the record of a request. */
  take(requestId: string | null | undefined): SynapseDecisionRecord | undefined {
    if (!requestId) return undefined;
    const record = this.records.get(requestId);
    this.records.delete(requestId);
    return record;
  }

  get size(): number {
    return this.records.size;
  }
}
