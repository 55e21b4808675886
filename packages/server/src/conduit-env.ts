/** Context variables set by the messages route, so error responses carry routing headers too. */
export interface ConduitRouteHeaders {
  provider: string;
  model: string;
  route: string;
}

/** Hono environment of the Conduit app: per-request variables shared with the error handler. */
export interface ConduitEnv {
  Variables: {
    /** The target serving this request, once known. */
    conduitRoute: ConduitRouteHeaders | undefined;
    conduitRequestId: string | undefined;
  };
}
