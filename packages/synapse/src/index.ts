/** @conduit/synapse: Synapse project/agent integration. @module */
export type { RoutingContext } from '@conduit/core';
