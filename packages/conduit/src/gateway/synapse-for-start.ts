/**
 * What {@link createStartGateway} imports when a config may ask for Synapse: kept in a module of
 * its own so the Synapse code stays out of what a default `conduit start` loads.
 * @module
 */
export { usesSynapse } from '@conduit/synapse';
export { createSynapseServer } from '../synapse/create-synapse-server.js';
