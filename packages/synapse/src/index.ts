/**
 * @conduit/synapse: Conduit as the model layer of Synapse: project/agent context from the
 * environment and `x-synapse-*` headers, agent-type and project/agent routing (a plugin plus the
 * `synapse` preset), budgets enforced from the usage ledger, response metadata for Synapse, and
 * `SynapseIntegration` for in-process use.
 * @module
 */
export {
  ContextExtractor,
  synapseEnvVariables,
  synapseHeaderNames,
  type EnvironmentVariables,
  type HeaderSource,
} from './context/context-extractor.js';
export { synapseMetadataKeys, type SynapseContext } from './context/synapse-context.js';
export {
  agentTypeSchema,
  budgetLimitsSchema,
  isRouteSlot,
  routeSlots,
  synapseCostLimitsSchema,
  synapseModelConfigSchema,
  synapseRouterOverrideSchema,
  type BudgetLimits,
  type RouteSlot,
  type SynapseCostLimits,
  type SynapseModelConfig,
} from './context/synapse-schemas.js';
export {
  defaultAgentMapping,
  parseSynapseSettings,
  synapseBudgetsSchema,
  synapseSettingsSchema,
  type SynapseBudgets,
  type SynapseSettings,
  type SynapseSettingsInput,
} from './config/synapse-settings.js';
export { usesSynapse } from './config/uses-synapse.js';
export {
  SynapseContextError,
  type SynapseContextSource,
} from './errors/synapse-context-error.js';
export {
  BudgetExceededError,
  describeBudgetViolation,
  type BudgetPeriod,
  type BudgetScope,
  type BudgetViolation,
} from './errors/budget-exceeded-error.js';
export { ClaudeCommandLineError } from './errors/claude-command-line-error.js';
export {
  createSynapsePlugin,
  SYNAPSE_PLUGIN_NAME,
  type SynapseDecisionRecord,
  type SynapsePlugin,
  type SynapsePluginOptions,
} from './routing/create-synapse-plugin.js';
export { withSynapsePlugin } from './routing/synapse-plugin-entries.js';
export { synapseRouteReasons } from './routing/synapse-route-overrides.js';
export {
  BudgetGuard,
  type BudgetGuardHealth,
  type BudgetGuardOptions,
  type SpendEntry,
} from './budgets/budget-guard.js';
export { resolveApplicableBudgets, type ApplicableBudgets } from './budgets/budget-limits.js';
export {
  createLedgerSpendSource,
  type SpendSnapshot,
  type SpendSource,
} from './budgets/spend-source.js';
export { parseClaudeArgs, type ClaudeCommandLine } from './claude/parse-claude-args.js';
export {
  buildClaudeRequest,
  claudeDefaultModel,
  claudeModelAliases,
  resolveClaudeModel,
} from './claude/build-claude-request.js';
export {
  SynapseIntegration,
  type SynapseIntegrationOptions,
  type SynapseRouteMetadata,
  type SynapseRouteResult,
} from './integration/synapse-integration.js';
export { summarizeUsage, type SynapseUsageSummary } from './integration/usage-summary.js';
export { synapseUsageReportSchema, type SynapseUsageReport } from './integration/usage-report.js';
export {
  conduitCommentPrefix,
  formatConduitComment,
  readConduitMetadata,
  type ConduitResponseMetadata,
  type ResponseUsage,
} from './stream/conduit-metadata.js';
export {
  createStreamMetadataInjector,
  type StreamMetadataInjectorOptions,
} from './stream/stream-metadata-injector.js';
export {
  formatCustomHeaders,
  mergeSynapseCustomHeaders,
  parseCustomHeaders,
  synapseHeadersFromContext,
  synapseHeadersFromEnv,
} from './headers/custom-headers.js';
export {
  createSynapseServer,
  SynapseServer,
  type SynapseListeningAddress,
  type SynapseServerOptions,
} from './server/create-synapse-server.js';
export {
  createSynapseLedger,
  type SynapseLedger,
  type SynapseLedgerOptions,
} from './integration/synapse-ledger.js';
