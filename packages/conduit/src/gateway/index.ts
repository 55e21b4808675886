/**
 * The meta-package's own code. Its names win over the libraries' in `src/index.ts` on purpose:
 * `ConduitServer` and `createConduitServer` there are the whole gateway the config asks for, while
 * the `./server` subpath keeps the bare server's.
 * @module
 */
export {
  type ConduitGatewayOptions,
  ConduitServer,
  createConduitClient,
  createConduitServer,
  type EnhancedServerConfig,
} from './conduit-server.js';
