/**
 * @conduit/server: the Anthropic Messages gateway (Hono on Node) and its provider adapters.
 * @module
 */
export { ConduitServer, createConduitServer, type ListeningAddress } from './conduit-server.js';
export type { HTTPTimeouts } from './lifecycle/http-listener.js';
export {
  type ConduitConfigOptions,
  conduitConfigValidators,
  createConduitConfigManager,
  loadConduitConfig,
  parseConduitConfig,
  validateConduitConfig,
  withConduitChecks,
} from './config/parse-conduit-config.js';
export { run, type RunOptions } from './run.js';
export type {
  ConduitExtension,
  ConduitServerOptions,
  ConduitServerView,
  StopOptions,
} from './server-options.js';
export type {
  ResponseHookInput,
  ResponseHooks,
} from './extensions/response-hooks.js';
export { readServerSettings, type ServerSettings } from './config/server-settings.js';
export type { CircuitStateEntry, CircuitStateSource } from './services/gateway-health-checks.js';
export type { SessionBudgetState, SessionInfo, SessionRefusal } from './routes/sessions.js';
export {
  apiKeyMatches,
  presentedCredentials,
} from './security/api-key-auth.js';
export { assertSafeBind, isLoopbackHost } from './security/bind-guard.js';
export { isPublicRoute, type EdgeSettings } from './middleware/edge-middleware.js';
export { AuthenticationError } from './errors/authentication-error.js';
export { ForbiddenOriginError } from './errors/forbidden-origin-error.js';
export { InsecureBindError } from './errors/insecure-bind-error.js';
export { ShuttingDownError } from './errors/shutting-down-error.js';
export { createConduitApp, type ConduitAppDependencies } from './create-app.js';
export type { ConduitEnv } from './conduit-env.js';
export {
  defaultHost,
  defaultPort,
  portFromEnvironment,
  resolveListenAddress,
  type ListenOptions,
} from './server-address.js';
export type { ConduitHealth, HealthReporter } from './routes/health.js';
export type { ConduitRouterLike } from './routes/router-like.js';
export type { ModelListEntry } from './routes/models.js';
export { mapError, mapStatusToErrorType, type MappedError } from './middleware/map-error.js';
export { chainRoutingHooks } from './services/extension-host.js';
export { combineResponseHooks } from './extensions/response-hooks.js';
export { RequestTooLargeError } from './errors/request-too-large-error.js';
export type { RequestObserver, RequestRecord } from './observer/request-observer.js';
export { GatewaySnapshot, type UpstreamTarget } from './gateway/gateway-snapshot.js';
export {
  createUpstreamCall,
  type UpstreamCall,
  type UpstreamCallInput,
  type UpstreamCallResult,
  type UpstreamCallWrapper,
} from './gateway/upstream-call.js';
export {
  createResilienceLayer,
  type ResilienceLayer,
  type ResilienceLayerOptions,
} from './resilience/resilience-layer.js';
export type {
  AttemptFailure,
  FallbackEvent,
  KeyCooldownEvent,
  ResilienceEvents,
  RetryEvent,
} from './resilience/resilience-events.js';
export {
  CircuitBreakerRegistry,
  type CircuitBreakerSettings,
  type CircuitPermit,
  type CircuitState,
  type CircuitStateReport,
  type CircuitTarget,
} from './resilience/circuit-breaker.js';
export { KeyPool, listProviderKeys, type KeyChoice } from './resilience/key-pool.js';
export { computeRetryDelay, type BackoffSettings } from './resilience/backoff.js';
export { systemClock, type ResilienceClock } from './resilience/resilience-clock.js';
export { CircuitOpenError, KeysCoolingError } from './resilience/resilience-errors.js';
export { listFallbackRoutes, resolveTotalTimeoutMs } from './resilience/fallback-routes.js';
export {
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
} from './upstream/create-upstream-fetch.js';
export { encodeSSEError, encodeSSEEvent } from './sse/encode-sse-event.js';
export { createProviderAdapters } from './providers/index.js';
export type {
  CallOutcome,
  FetchFunction,
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
  UpstreamFetch,
  UpstreamResponse,
  UsageCounts,
} from './providers/provider-adapter.js';
export {
  buildAnthropicHeaders,
  createAnthropicAdapter,
  resolveAnthropicMessagesURL,
} from './providers/anthropic/anthropic-adapter.js';
export { replaceJsonModel } from './providers/anthropic/replace-json-model.js';
export { createOpenAIAdapter } from './providers/openai/openai-adapter.js';
export {
  convertToOpenAIRequest,
  type OpenAIRequestSettings,
} from './providers/openai/convert-to-openai-request.js';
export {
  convertToOpenAIMessages,
  type ConvertToOpenAIMessagesOptions,
  type MidConversationSystemMode,
} from './providers/openai/convert-to-openai-messages.js';
export { convertToOpenAITools } from './providers/openai/convert-to-openai-tools.js';
export { convertOpenAIResponse } from './providers/openai/convert-openai-response.js';
export { convertOpenAIUsage } from './providers/openai/convert-openai-usage.js';
export { mapOpenAIFinishReason } from './providers/openai/map-openai-finish-reason.js';
export {
  mapThinkingToReasoning,
  reasoningFormats,
  type ReasoningFormat,
} from './providers/openai/map-thinking-to-reasoning.js';
export {
  cleanJsonSchema,
  defaultRemovedSchemaKeywords,
} from './providers/openai/clean-json-schema.js';
export { OpenAIStreamState } from './providers/openai/openai-stream-state.js';
export type {
  OpenAIChatChunk,
  OpenAIChatMessage,
  OpenAIChatRequest,
  OpenAIChatResponse,
} from './providers/openai/openai-api.js';
export { conduitThinkingSignature } from './providers/common/response-ids.js';
export { createGeminiAdapter, resolveGeminiURL } from './providers/gemini/gemini-adapter.js';
export {
  convertThinkingConfig,
  convertToGeminiRequest,
} from './providers/gemini/convert-to-gemini-request.js';
export { convertToGeminiSchema } from './providers/gemini/convert-to-gemini-schema.js';
export { convertToGeminiTools } from './providers/gemini/convert-to-gemini-tools.js';
export { convertGeminiResponse } from './providers/gemini/convert-gemini-response.js';
export { convertGeminiUsage } from './providers/gemini/convert-gemini-usage.js';
export { mapGeminiFinishReason } from './providers/gemini/map-gemini-finish-reason.js';
export { GeminiStreamState } from './providers/gemini/gemini-stream-state.js';
export type {
  GeminiContent,
  GeminiPart,
  GeminiRequest,
  GeminiResponse,
} from './providers/gemini/gemini-api.js';
export { createResponsesAdapter } from './providers/openai-responses/responses-adapter.js';
export {
  convertToResponsesRequest,
  type ReasoningSummaryMode,
} from './providers/openai-responses/convert-to-responses-request.js';
export {
  convertResponsesResponse,
  convertResponsesUsage,
  mapResponsesStopReason,
} from './providers/openai-responses/convert-responses-response.js';
export { ResponsesStreamState } from './providers/openai-responses/responses-stream-state.js';
export type {
  ResponsesInputItem,
  ResponsesRequest,
  ResponsesResponse,
  ResponsesStreamEvent,
} from './providers/openai-responses/responses-api.js';
export {
  anthropicTransformer,
  builtinTransformers,
  createDefaultTransformerRegistry,
  openaiTransformer,
  reasoningTransformer,
} from './providers/transformers/builtin-transformers.js';
export {
  geminiTransformer,
  openaiResponsesTransformer,
  vertexTransformers,
} from './providers/transformers/adapter-transformers.js';
export {
  cerebrasTransformer,
  cleancacheTransformer,
  customparamsTransformer,
  maxcompletiontokensTransformer,
  maxtokenTransformer,
  samplingTransformer,
  streamoptionsTransformer,
} from './providers/transformers/ccr/body-transformers.js';
export {
  deepseekTransformer,
  groqTransformer,
  openrouterTransformer,
  vercelTransformer,
} from './providers/transformers/ccr/vendor-transformers.js';
export {
  enhancetoolTransformer,
  tooluseTransformer,
} from './providers/transformers/ccr/tool-transformers.js';
export {
  extrathinktagTransformer,
  forcereasoningTransformer,
} from './providers/transformers/ccr/think-tag-transformers.js';
export { ThinkTagSplitter } from './providers/transformers/ccr/think-tag-splitter.js';
export {
  extendRegistryWithCustomTransformers,
  loadCustomTransformers,
  resolveTransformerPath,
  type CustomTransformerEntry,
} from './providers/transformers/custom-transformer-modules.js';
export {
  createStreamDataPipeline,
  type StreamDataPipeline,
} from './providers/transformers/run-transformers.js';
export { TransformerRegistry } from './providers/transformers/transformer-registry.js';
export {
  resolveProviderPipeline,
  type ProviderPipeline,
} from './providers/transformers/resolve-provider-pipeline.js';
export { validateTransformerConfig } from './providers/transformers/validate-transformer-config.js';
export type {
  AdapterId,
  MaybePromise,
  StreamDataTransform,
  TransformerContext,
  TransformerDefinition,
  TransformerInstance,
  UpstreamRequestTarget,
} from './providers/transformers/transformer-types.js';
export { conduitServerVersion } from './version.js';
