/** @conduit/cli @module */
export { ConduitError } from '@conduit/core';
