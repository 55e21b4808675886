import type { ConduitRouteHeaders } from './middleware/error-handler.js';

/** Hono environment of the Conduit app: per-request variables shared with the error handler. */
export interface ConduitEnv {
  Variables: {
    /** The target serving this request, once known. */
    conduitRoute: ConduitRouteHeaders | undefined;
    conduitRequestId: string | undefined;
  };
}
