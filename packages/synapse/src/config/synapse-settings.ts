/**
 * The `synapse` section of the Conduit config.
 * @module
 */
import { ConfigError, type ConfigIssue, lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { getSynapseSchemas } from '../context/synapse-schemas.js';
import { defineSynapseSettingsSchemas } from './synapse-settings-schemas.js';

export { defaultAgentMapping } from './default-agent-mapping.js';

/** Every schema, built on the first use of any of them: importing Synapse does not load zod. */
const getSchemas = schemasOnFirstUse(z => defineSynapseSettingsSchemas(z, getSynapseSchemas()));

/**
 * `synapse.budgets`: cost limits in USD per UTC day/month.
 * - `project` / `agent`: the default for every project / agent;
 * - `projects.<id>`: one project (its `agent` key: the default for that project's agents);
 * - `agents.<id>`: one agent.
 * The most specific setting wins per field.
 *
 * @example
 * { "project": { "daily": 20 }, "projects": { "web": { "daily": 50, "agent": { "daily": 5 } } },
 *   "agents": { "reviewer": { "monthly": 30 } } }
 */
export const synapseBudgetsSchema = lazySchema(() => getSchemas().synapseBudgetsSchema);

/** See {@link synapseBudgetsSchema}. */
export type SynapseBudgets = z.output<typeof synapseBudgetsSchema>;

/**
 * The `synapse` config section. Every key is optional.
 *
 * | key | default | meaning |
 * | --- | --- | --- |
 * | `enabled` | `true` | `false` turns the plugin into a no-op |
 * | `contextHeaders` | `true` | read `x-synapse-*` request headers |
 * | `agentMapping` | coding/analysis/general → `default`, reasoning → `think` | agent type → Router slot or `provider,model` for requests that would otherwise take the `default` route |
 * | `projects` / `agents` | `{}` | model configs by project / agent id (see `synapseModelConfigSchema`) |
 * | `budgets` | none | cost limits (see {@link synapseBudgetsSchema}) |
 * | `budgetAction` | `reject` | over budget: `reject` (429 `rate_limit_error`) or `downgrade` |
 * | `downgradeRoute` | none | the cheaper `provider,model` for `downgrade` |
 * | `budgetCacheTtlMs` | `5000` | how long a spend figure read from the ledger is reused |
 * | `budgetLookupTimeoutMs` | `1000` | a ledger read slower than this lets the request through |
 * | `streamMetadata` | `true` | add the `: conduit {...}` SSE comment to streamed responses |
 * | `responseHeaders` | `true` | add `x-synapse-*` and `x-conduit-cost-usd` response headers |
 */
export const synapseSettingsSchema = lazySchema(() => getSchemas().synapseSettingsSchema);

/** The `synapse` section after defaults. */
export type SynapseSettings = z.output<typeof synapseSettingsSchema>;
/** The `synapse` section as written. */
export type SynapseSettingsInput = z.input<typeof synapseSettingsSchema>;

/**
 * Parses the `synapse` section of a Conduit config (absent → all defaults).
 * @throws ConfigError listing every problem, with `synapse.<key>` paths.
 */
export function parseSynapseSettings(section: unknown): SynapseSettings {
  const parsed = synapseSettingsSchema.safeParse(section ?? {});
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map(issue => ({
    path: ['synapse', ...issue.path.map(String)].join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map(key => `"${key}"`).join(', ')}.`
        : `${issue.message}.`,
  }));
  throw new ConfigError({ issues });
}
