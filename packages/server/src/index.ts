/** @conduit/server: the Anthropic Messages gateway. @module */
export type { ConduitConfig } from '@conduit/core';
