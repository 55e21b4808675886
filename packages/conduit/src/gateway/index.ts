/**
 * The meta-package's own code: the one composition root wiring server + plugins + monitoring
 * from a config.
 * @module
 */
export {
  ConduitGateway,
  createConduit,
  type ConduitOptions,
} from './create-conduit.js';
export { runConduit, type RunConduitOptions } from './run-conduit.js';
/**
 * The meta-package's `createConduitServer` and `run` are the whole gateway (as they were before
 * the server stopped wiring plugins and the ledger itself); `@conduit/conduit/server` keeps the
 * bare server's.
 */
export { createConduit as createConduitServer } from './create-conduit.js';
export { runConduit as run } from './run-conduit.js';
