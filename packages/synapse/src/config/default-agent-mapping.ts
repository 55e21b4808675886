/**
 * The default agent-type mapping: a module of its own, so the schema builder
 * (`synapse-settings-schemas.ts`) and the public `synapse-settings.ts` share it without a cycle.
 * @module
 */

/** The agent-type mapping used when the config sets none (also in the `synapse` preset). */
export const defaultAgentMapping: Readonly<Record<string, string>> = Object.freeze({
  coding: 'default',
  analysis: 'default',
  reasoning: 'think',
  general: 'default',
});
