import type { ConfigValidator, Logger } from '@conduit/core';

/** Options of `createConduitUI`. */
export interface ConduitUIOptions {
  /**
   * The config file the gateway reads. The Config page edits it (atomic write, timestamped
   * backup); without it the page is read-only.
   */
  configPath?: string;
  /**
   * The gateway's own config checks on top of core's (e.g. `@conduit/server`'s
   * `conduitConfigValidators(registry)`), so the editor validates exactly as the gateway does.
   */
  configValidators?: ConfigValidator[];
  /** Transformer names for `GET /api/transformers` (CCR's list). */
  listTransformers?: () => readonly string[];
  /** Where the built client lives (default: this package's `dist/client`). */
  assetsDirectory?: string;
  /** How many backups of the config file to keep (default 5). */
  keepBackups?: number;
  /** How many finished requests the live log keeps in memory for new viewers (default 500). */
  recentRequests?: number;
  /** How long a login session lasts (default 12 h). */
  sessionTtlMs?: number;
  /** Environment for `$VAR` references when validating (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Epoch ms clock (tests). */
  now?: () => number;
}
