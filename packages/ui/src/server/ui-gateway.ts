/**
 * What the UI reads from the running gateway. `@conduit/server`'s `ConduitServer` satisfies it
 * structurally (the UI's extension receives the server), so this package depends on core and
 * monitoring only.
 * @module
 */
import type { ParsedConduitConfig } from '@conduit/core';
import type { UsageTracker } from '@conduit/monitoring';

/** One circuit breaker, as the gateway reports it. */
export interface UICircuitState {
  provider: string;
  model: string;
  state: string;
}

/** The health report's parts the Providers page shows. */
export interface UIGatewayHealth {
  status: string;
  version?: string;
  uptimeMs?: number;
  ready?: boolean;
  warnings?: string[];
  checks?: unknown;
}

/** The running gateway, as the UI sees it. */
export interface UIGateway {
  /** The config serving new requests (parsed, `$VAR`s resolved: never sent to the browser). */
  readonly config: ParsedConduitConfig;
  /** The usage ledger, unless usage tracking is off. */
  readonly usageTracker: UsageTracker | undefined;
  getCircuitStates(): readonly UICircuitState[];
  getHealth(): UIGatewayHealth;
  /** Reads the config file again and applies it; false when there is no file or it is invalid. */
  reloadConfigFile(): Promise<boolean>;
}
