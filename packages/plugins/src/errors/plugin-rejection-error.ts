/** A plugin's deliberate refusal is part of the plugin spec in `@conduit/core`; kept here for imports. */
export { PluginRejectionError } from '@conduit/core';
