import type { HealthReport, ServerRoute, TokenCounter } from '@conduit/core';
import { type Context, Hono } from 'hono';
import type { ConduitEnv } from './conduit-env.js';
import { type EdgeDependencies, installEdgeMiddleware } from './middleware/edge-middleware.js';
import { createErrorHandler } from './middleware/error-handler.js';
import { withBodyLimit } from './middleware/limit-request-body.js';
import { createCountTokensHandler } from './routes/count-tokens.js';
import { type ConduitHealth, createReadinessHandler } from './routes/health.js';
import { type MessagesRouteDependencies, createMessagesHandler } from './routes/messages.js';
import { createModelsHandler } from './routes/models.js';
import { createOpenAIChatDoor, createOpenAIResponsesDoor } from './inbound/openai-doors.js';
import { conduitServerVersion } from './version.js';

/** Everything the Hono app needs; `ConduitServer` provides it. */
export interface ConduitAppDependencies extends MessagesRouteDependencies {
  getTokenCounter(): TokenCounter;
  getHealth(): ConduitHealth;
  /** Current `server.bodyLimit` in bytes (read per request, so config updates apply). */
  getBodyLimit(): number;
  /** `created_at` reported for configured models. */
  modelsCreatedAt: string;
  /** CORS, the shutdown gate and API key auth; without it every request is let in. */
  edge?: EdgeDependencies;
  /** `GET /health/ready`: runs the health checks now. */
  runHealthChecks?(): Promise<HealthReport>;
  /** Extensions' routes (e.g. `GET /metrics` and `GET /api/usage` of `@conduit/monitoring`). */
  routes?: readonly ServerRoute[];
}

/**
 * The Conduit HTTP surface as a Hono app: `POST /v1/messages` (JSON and SSE; `?beta=true` is
 * accepted), the OpenAI doors `POST /v1/chat/completions` and `POST /v1/responses`,
 * `POST /v1/messages/count_tokens`, `GET /v1/models`, `GET /health`, `GET|HEAD /`.
 * Every error leaves through one handler, in the envelope of the API the client spoke.
 */
export function createConduitApp(dependencies: ConduitAppDependencies): Hono<ConduitEnv> {
  const app = new Hono<ConduitEnv>();
  const onError = createErrorHandler(dependencies.logger, dependencies.getSecrets);
  app.onError(onError);
  app.notFound(context =>
    context.json(
      {
        type: 'error',
        error: {
          type: 'not_found_error',
          message: `${context.req.method} ${context.req.path} is not a Conduit endpoint. Use POST /v1/messages, POST /v1/chat/completions, POST /v1/responses, POST /v1/messages/count_tokens, GET /v1/models, GET /health, GET /health/ready, GET /metrics or GET /api/usage.`,
        },
      },
      404,
    ),
  );
  if (dependencies.edge) installEdgeMiddleware(app, dependencies.edge, onError);
  const limited = (handler: (context: Context<ConduitEnv>) => Response | Promise<Response>) =>
    withBodyLimit(dependencies.getBodyLimit, handler);
  app.post('/v1/messages', limited(createMessagesHandler(dependencies)));
  app.post(
    '/v1/chat/completions',
    limited(createMessagesHandler(dependencies, createOpenAIChatDoor())),
  );
  app.post(
    '/v1/responses',
    limited(createMessagesHandler(dependencies, createOpenAIResponsesDoor())),
  );
  app.post(
    '/v1/messages/count_tokens',
    limited(createCountTokensHandler(dependencies.getTokenCounter)),
  );
  app.get(
    '/v1/models',
    createModelsHandler(dependencies.getSnapshot, dependencies.modelsCreatedAt),
  );
  app.get('/health', context => context.json(dependencies.getHealth()));
  if (dependencies.runHealthChecks) {
    app.get('/health/ready', createReadinessHandler(dependencies.runHealthChecks));
  }
  for (const route of dependencies.routes ?? []) {
    app.on(route.method, route.path, context => route.handler(context.req.raw));
  }
  app.on('HEAD', '/', context => context.body(null, 200));
  app.get('/', context => context.json({ message: 'Conduit', version: conduitServerVersion }));
  return app;
}
