import type { HealthReport, ServerRoute, TokenCounter } from '@conduit/core';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ConduitEnv } from './conduit-env.js';
import { RequestTooLargeError } from './errors/request-too-large-error.js';
import { type EdgeDependencies, installEdgeMiddleware } from './middleware/edge-middleware.js';
import { createErrorHandler } from './middleware/error-handler.js';
import { createCountTokensHandler } from './routes/count-tokens.js';
import { type ConduitHealth, createReadinessHandler } from './routes/health.js';
import { type MessagesRouteDependencies, createMessagesHandler } from './routes/messages.js';
import { createModelsHandler } from './routes/models.js';
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
 * accepted), `POST /v1/messages/count_tokens`, `GET /v1/models`, `GET /health`, `GET|HEAD /`.
 * Every error leaves through one handler as an Anthropic error envelope.
 */
export function createConduitApp(dependencies: ConduitAppDependencies): Hono<ConduitEnv> {
  const app = new Hono<ConduitEnv>();
  app.onError(createErrorHandler(dependencies.logger, dependencies.getSecrets));
  app.notFound(context =>
    context.json(
      {
        type: 'error',
        error: {
          type: 'not_found_error',
          message: `${context.req.method} ${context.req.path} is not a Conduit endpoint. Use POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models, GET /health, GET /health/ready, GET /metrics or GET /api/usage.`,
        },
      },
      404,
    ),
  );
  if (dependencies.edge) installEdgeMiddleware(app, dependencies.edge);
  const limitBody: MiddlewareHandler<ConduitEnv> = (context, next) => {
    const limitBytes = dependencies.getBodyLimit();
    return bodyLimit({
      maxSize: limitBytes,
      onError: () => {
        throw new RequestTooLargeError({ limitBytes });
      },
    })(context, next);
  };
  app.post('/v1/messages', limitBody, createMessagesHandler(dependencies));
  app.post(
    '/v1/messages/count_tokens',
    limitBody,
    createCountTokensHandler(dependencies.getTokenCounter),
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
