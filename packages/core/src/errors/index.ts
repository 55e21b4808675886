export { ConduitError, type ConduitErrorOptions } from './conduit-error.js';
export { mapStatusToErrorType } from './map-status-to-error-type.js';
export { ConfigError, formatConfigIssues, type ConfigIssue } from './config-error.js';
export { InvalidRequestError } from './invalid-request-error.js';
export { NoRouteError } from './no-route-error.js';
export { ProviderAPIError, isRetryableStatus } from './provider-api-error.js';
export { PluginRejectionError } from './plugin-rejection-error.js';
