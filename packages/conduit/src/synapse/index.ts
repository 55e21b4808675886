/**
 * Synapse wired into a gateway and into an in-process router: the composition root's Synapse
 * half (the parts come from `@conduit/synapse`). Exported by `@conduit/conduit` and
 * `@conduit/conduit/synapse`.
 * @module
 */
export {
  createSynapseServer,
  SynapseServer,
  type SynapseListeningAddress,
  type SynapseServerOptions,
} from './create-synapse-server.js';
export {
  SynapseIntegration,
  type SynapseIntegrationOptions,
  type SynapseRouteMetadata,
  type SynapseRouteResult,
} from './synapse-integration.js';
