/**
 * The Conduit configuration: a superset of claude-code-router's `config.json`.
 *
 * CCR keys keep their spelling (`Providers`, `Router`, `APIKEY`, `PORT`, …) so a CCR file loads
 * unchanged; Conduit's own sections are camelCase (`server`, `resilience`, `usage`, `synapse`, …).
 * Unknown top-level keys are kept (CCR users have `StatusLine` and friends) but not interpreted.
 * @module
 */
import type { z } from 'zod';
import { lazySchema } from '../zod/lazy-schema.js';
import { schemasOnFirstUse } from '../zod/load-zod.js';
import { defineConfigSchemas } from './config-schema-definitions.js';

/** Every schema, built on the first use of any of them: importing core does not load zod. */
const getSchemas = schemasOnFirstUse(defineConfigSchemas);

export const transformerUseSchema = lazySchema(() => getSchemas().transformerUseSchema);
export const modelTransformerSchema = lazySchema(() => getSchemas().modelTransformerSchema);
export const providerTransformerSchema = lazySchema(() => getSchemas().providerTransformerSchema);
export const providerConfigSchema = lazySchema(() => getSchemas().providerConfigSchema);
export const ruleConditionSchema = lazySchema(() => getSchemas().ruleConditionSchema);
export const routingRuleSchema = lazySchema(() => getSchemas().routingRuleSchema);
export const routerConfigSchema = lazySchema(() => getSchemas().routerConfigSchema);
export const pluginConfigSchema = lazySchema(() => getSchemas().pluginConfigSchema);
export const serverConfigSchema = lazySchema(() => getSchemas().serverConfigSchema);
export const resilienceConfigSchema = lazySchema(() => getSchemas().resilienceConfigSchema);
export const modelPriceSchema = lazySchema(() => getSchemas().modelPriceSchema);
export const usageConfigSchema = lazySchema(() => getSchemas().usageConfigSchema);
export const statusLineConfigSchema = lazySchema(() => getSchemas().statusLineConfigSchema);
export const fallbackConfigSchema = lazySchema(() => getSchemas().fallbackConfigSchema);
export const customTransformerSchema = lazySchema(() => getSchemas().customTransformerSchema);
export const conduitConfigSchema = lazySchema(() => getSchemas().conduitConfigSchema);

/** The config as written (input, before defaults): what users type. Alias of {@link ConduitConfig}. */
export type ConduitConfigInput = z.input<typeof conduitConfigSchema>;
/** The config as written (input: defaults optional), e.g. `{ Router: { default: 'p,m' } }`. */
export type ConduitConfig = ConduitConfigInput;
/** The config after parsing and defaults (what `parseConfig` returns). */
export type ParsedConduitConfig = z.output<typeof conduitConfigSchema>;
/** One entry of `Providers`, as written. */
export type ProviderConfig = z.input<typeof providerConfigSchema>;
export type ParsedProviderConfig = z.output<typeof providerConfigSchema>;
/** The `Router` section, as written. */
export type RouterConfig = z.input<typeof routerConfigSchema>;
export type ParsedRouterConfig = z.output<typeof routerConfigSchema>;
/** The `server` section, as written (`healthCheck: true` and friends). */
export type ServerConfig = z.input<typeof serverConfigSchema>;
export type ParsedServerConfig = z.output<typeof serverConfigSchema>;
/** The `resilience` section, as written. */
export type ResilienceConfig = z.input<typeof resilienceConfigSchema>;
export type ParsedResilienceConfig = z.output<typeof resilienceConfigSchema>;
/** The `usage` section, as written. */
export type UsageConfig = z.input<typeof usageConfigSchema>;
export type ParsedUsageConfig = z.output<typeof usageConfigSchema>;
export type ModelPrice = z.output<typeof modelPriceSchema>;
export type TransformerUse = z.output<typeof transformerUseSchema>;
export type ProviderTransformerConfig = z.output<typeof providerTransformerSchema>;
export type PluginConfigEntry = z.output<typeof pluginConfigSchema>;
export type CustomTransformerConfig = z.output<typeof customTransformerSchema>;
