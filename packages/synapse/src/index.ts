/**
 * @conduit/synapse: Conduit as the model layer of Synapse: project/agent context from the
 * environment and `x-synapse-*` headers, agent-type and project/agent routing (a plugin plus the
 * `synapse` preset), budgets enforced from the usage ledger, response metadata for Synapse. The
 * gateway with Synapse built in (`createSynapseServer`) and `SynapseIntegration` are wired by the
 * meta-package `@conduit/conduit` (also at `@conduit/conduit/synapse`).
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
export { withSynapsePlugin, type PluginEntryLike } from './routing/synapse-plugin-entries.js';
export { synapseRouteReasons } from './routing/synapse-route-overrides.js';
export {
  BudgetGuard,
  type BudgetGuardHealth,
  type BudgetGuardOptions,
  type SpendEntry,
} from './budgets/budget-guard.js';
export {
  resolveApplicableBudgets,
  type ApplicableBudgets,
  type BudgetStanding,
} from './budgets/budget-limits.js';
export { SessionBudgets } from './budgets/session-budgets.js';
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
export { summarizeUsage, type SynapseUsageSummary } from './integration/usage-summary.js';
export {
  parseUsageReport,
  synapseUsageReportSchema,
  type SynapseUsageReport,
} from './integration/usage-report.js';
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
// The parts the meta-package's composition root (`createSynapseServer`, `SynapseIntegration` in
// `@conduit/conduit`) wires into a gateway: this package composes nothing itself.
export { DecisionRegistry } from './server/decision-registry.js';
export { SynapseConfigFollower } from './server/synapse-config-follower.js';
export { createSynapseObserver } from './server/synapse-observer.js';
export {
  createSynapseResponseHooks,
  responseMetadata,
  synapseResponseHeaders,
  type SynapseResponseHookDependencies,
} from './server/synapse-response-hooks.js';
export {
  createSynapseRoutes,
  type SynapsePluginHealthSource,
  type SynapseRouteDependencies,
} from './server/synapse-routes.js';
export {
  createSynapseLedger,
  type SynapseLedger,
  type SynapseLedgerOptions,
} from './integration/synapse-ledger.js';
