/** @conduit/ui: Conduit's web dashboard and config editor, and the JSON APIs behind it. @module */
export {
  createConduitUI,
  isUIPath,
  type ConduitUI,
} from './server/create-conduit-ui.js';
export type { ConduitUIOptions } from './server/ui-options.js';
export type { UICircuitState, UIGateway, UIGatewayHealth } from './server/ui-gateway.js';
export {
  configTextSchema,
  explainRequestSchema,
  loginSchema,
  requestEventSchema,
  statsQuerySchema,
  uiRanges,
  type ConfigText,
  type ExplainRequest,
  type RequestEvent,
  type StatsQuery,
  type UIRange,
} from './server/api-schemas.js';
export type { ObservedRequest } from './server/live/request-feed.js';
export type { KeyCooldown } from './server/live/key-cooldowns.js';
export type { BudgetLine } from './server/routes/budgets-routes.js';
export type { RedactedConfigFile, RedactedValidation } from './server/config/config-editor.js';
