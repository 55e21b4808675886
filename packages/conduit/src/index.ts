/** @conduit/conduit: the meta-package. @module */
export { ConduitError, conduitConfigSchema } from '@conduit/core';
