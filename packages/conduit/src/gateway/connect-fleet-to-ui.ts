import type { Fleet } from '@conduit/fleet';
import type { ConduitUI } from '@conduit/ui';

/**
 * Fans the UI's live views out across a fleet sharing Redis: each request this instance finishes
 * is published (the UI's `RequestEvent`: no bodies, no secrets), the other instances' appear in
 * this instance's live log and event stream, and key cooldowns peers announced show on its
 * Providers page. Nothing to do without a UI or without Redis.
 */
export function connectFleetToUI(fleet: Fleet | undefined, ui: ConduitUI | undefined): void {
  if (!fleet || !ui || !fleet.liveRequests.shared) return;
  ui.liveFeed.onLocalRequest(event => fleet.liveRequests.publish(event));
  fleet.liveRequests.onPeer((summary, instance) => ui.liveFeed.addPeerRequest(summary, instance));
  fleet.onPeerKeyCooldown(cooldown => ui.resilienceEvents.onKeyCooldown(cooldown));
}
