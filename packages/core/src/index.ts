/**
 * @conduit/core: the spec every Conduit package builds on — types and zod schemas, configuration,
 * token counting, routing and errors. Depends on no other Conduit package.
 * @module
 */
export {
  cacheControlSchema,
  contentBlockSchema,
  countTokensRequestSchema,
  imageBlockSchema,
  messageParamSchema,
  messagesRequestSchema,
  redactedThinkingBlockSchema,
  textBlockSchema,
  thinkingBlockSchema,
  thinkingConfigSchema,
  toolChoiceSchema,
  toolResultBlockSchema,
  toolSchema,
  toolUseBlockSchema,
  type AnthropicErrorBody,
  type AnthropicErrorType,
  type ContentBlock,
  type ContentBlockDelta,
  type CountTokensRequest,
  type ImageBlock,
  type MessageParam,
  type MessageStreamEvent,
  type MessagesRequest,
  type MessagesResponse,
  type RedactedThinkingBlock,
  type ResponseContentBlock,
  type StopReason,
  type TextBlock,
  type ThinkingBlock,
  type ThinkingConfig,
  type Tool,
  type ToolChoice,
  type ToolResultBlock,
  type ToolUseBlock,
  type Usage,
} from './types/anthropic-messages.js';
export type {
  RouteReason,
  RouteScenario,
  RequestRoutingContext,
  RouteTarget,
  RoutingContext,
  RoutingDecision,
  RoutingRule,
  RuleCondition,
  RuleOperator,
} from './types/routing.js';
export type {
  ConduitPlugin,
  CustomRouteResult,
  PluginConfig,
  PluginConfigValidation,
  PluginHealth,
  PluginLoadContext,
  PluginLogger,
  RoutingHooks,
} from './types/conduit-plugin.js';
export {
  conduitConfigSchema,
  customTransformerSchema,
  modelPriceSchema,
  pluginConfigSchema,
  providerConfigSchema,
  modelTransformerSchema,
  providerTransformerSchema,
  resilienceConfigSchema,
  routerConfigSchema,
  routingRuleSchema,
  ruleConditionSchema,
  serverConfigSchema,
  transformerUseSchema,
  usageConfigSchema,
  type ConduitConfig,
  type ConduitConfigInput,
  type CustomTransformerConfig,
  type ModelPrice,
  type ParsedConduitConfig,
  type ParsedProviderConfig,
  type ParsedResilienceConfig,
  type ParsedRouterConfig,
  type ParsedServerConfig,
  type ParsedUsageConfig,
  type PluginConfigEntry,
  type ProviderConfig,
  type ProviderTransformerConfig,
  type ResilienceConfig,
  type RouterConfig,
  type ServerConfig,
  type TransformerUse,
  type UsageConfig,
} from './config/config-schema.js';
export type {
  AdmissionInput,
  AdmissionSettlement,
  AdmissionTicket,
  AuthenticatedPrincipal,
  AuthenticationRequest,
  CredentialAuthenticator,
  RequestAdmission,
} from './types/admission.js';
export {
  ConduitError,
  ConfigError,
  mapStatusToErrorType,
  type ConduitErrorOptions,
  formatConfigIssues,
  InvalidRequestError,
  isRetryableStatus,
  NoRouteError,
  PluginRejectionError,
  ProviderAPIError,
  RequestRefusedError,
  type ConfigIssue,
  type RequestRefusedErrorOptions,
} from './errors/index.js';
export { silentLogger, type Logger } from './types/logger.js';
export {
  collectSecrets,
  createRedactingLogger,
  isSecretKey,
  redactedText,
  redactLiteralSecrets,
  redactSecretValues,
  redactText,
} from './security/redact-secrets.js';
export type {
  CallOutcome,
  ClientAPI,
  RequestObserver,
  RequestRecord,
  UsageCounts,
} from './types/request-record.js';
export type {
  BudgetUse,
  CircuitState,
  ExtensionHealthCheck,
  ResponseHookInput,
  ResponseHooks,
  ServerExtension,
  ServerRoute,
} from './types/server-extension.js';
export {
  HealthMonitor,
  type CheckReport,
  type HealthCheck,
  type HealthCheckResult,
  type HealthMonitorOptions,
  type HealthLevel,
  type HealthReport,
  type HealthStatus,
  type RegisterCheckOptions,
  type SeedHealthCheckResult,
} from './health/health-monitor.js';
export { resolveCCRHome, resolveConduitHome } from './config/conduit-home.js';
export { deepMerge } from './config/deep-merge.js';
export { routeScenarios } from './config/semantic-checks.js';
export { interpolateEnv } from './config/interpolate-env.js';
export { formatRouteTarget, parseRouteTarget } from './config/route-target.js';
export {
  createProviderIndex,
  resolveRouteTarget,
  type ProviderIndex,
  type RouteResolution,
} from './config/provider-index.js';
export type {
  ConfigAnalysisOptions,
  ConfigValidator,
} from './config/analyze-config.js';
export { parseConfig, validateConfig, type ParseConfigOptions } from './config/parse-config.js';
export { asParsedConfig, isParsedConfig } from './config/as-parsed-config.js';
export {
  loadConfig,
  loadConfigSync,
  readConfigSource,
  readConfigSourceSync,
  type ConfigSource,
  type LoadConfigOptions,
  type LoadedConfig,
  parseJSON5File,
} from './config/load-config.js';
export { isLoopbackHost } from './net/is-loopback-host.js';
export {
  ConfigManager,
  type ConfigChangeListener,
  type ConfigManagerOptions,
} from './config/config-manager.js';
export { builtInPresets } from './config/presets/index.js';
export { ConfigPresetManager } from './config/config-preset-manager.js';
export {
  configWriteErrors,
  defaultKeptConfigBackups,
  saveConfigFile,
  writeConfigFile,
  type WriteConfigFileOptions,
} from './config/config-file-writer.js';
export { toValidationResult, type ValidationResult } from './config/validation-result.js';
export {
  getDefaultTokenCounter,
  TokenCounter,
  type CountableRequest,
  type TokenCounterCacheStats,
  type TokenCounterOptions,
  type ToolsTextOf,
} from './token-counter/token-counter.js';
export {
  ConduitRouter,
  createConduitRouter,
  type ConduitRouterOptions,
  type RoutingExplanation,
} from './router/conduit-router.js';
export type { RoutingStep } from './router/scenario-rules.js';
export { parseUserIdSessionId, resolveSessionId } from './router/session-id.js';
export { toRequestContext } from './router/context-helpers.js';
export { tokenCountIfCounted } from './router/lazy-token-count.js';
export {
  type ResolvedRoute,
  resolveConfiguredRoute,
  resolvedRouteOf,
} from './router/resolved-route.js';
export {
  SessionMemory,
  type SessionSummary,
  type SessionTurn,
  type SessionUsageLookup,
} from './router/session-memory.js';
export {
  createProjectRouterLookup,
  defaultProjectRouterLookupOptions,
  type ProjectRouterLookupOptions,
  type RouterOverride,
  type RouterOverrideLookup,
} from './router/project-router-overrides.js';
// zod on first use, for packages that define schemas (so importing them does not load zod)
export { lazySchema } from './zod/lazy-schema.js';
export { loadZod, schemasOnFirstUse } from './zod/load-zod.js';
