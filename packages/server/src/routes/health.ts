/** What `GET /health` and `ConduitServer.getHealth()` report. */
export interface ConduitHealth {
  /** `degraded` when no provider is configured (model calls cannot succeed). */
  status: 'ok' | 'degraded';
  version: string;
  /** ISO time of the report. */
  timestamp: string;
  uptimeMs: number;
  providers: number;
  /** `provider,model` routes configured. */
  models: number;
  /** The listening URL, once started. */
  url: string | null;
  /** Human-readable problems, e.g. how to add a provider. */
  warnings: string[];
}
