/**
 * The meta-package's own code: the one composition root wiring server + plugins + monitoring
 * from a config. Its names win over the libraries' in `src/index.ts` on purpose: `ConduitServer`
 * and `createConduitServer` there are the whole gateway the config asks for (Synapse included),
 * while `@conduit/conduit/server` keeps the bare server's.
 * @module
 */
export {
  ConduitGateway,
  createConduit,
  type ConduitOptions,
} from './create-conduit.js';
export type { GatewayUIOption } from './compose-ui.js';
export { runConduit, type RunConduitOptions } from './run-conduit.js';
export { runConduit as run } from './run-conduit.js';
export {
  type ConduitGatewayOptions,
  ConduitServer,
  createConduitClient,
  createConduitServer,
  type EnhancedServerConfig,
} from './conduit-server.js';
