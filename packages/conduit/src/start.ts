/**
 * `@conduit/conduit/start`: the composition root's narrow entry for `conduit start` (see
 * `gateway/start-gateway.ts`). It builds the same gateway as `createConduit` and
 * `createSynapseServer`, from fewer modules; libraries use the root entry.
 * @module
 */
export {
  createStartGateway,
  type StartGateway,
  type StartGatewayOptions,
} from './gateway/start-gateway.js';
