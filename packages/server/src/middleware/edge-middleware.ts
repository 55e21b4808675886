import type { CredentialAuthenticator, ParsedServerConfig } from '@conduit/core';
import type { Hono } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { ShuttingDownError } from '../errors/shutting-down-error.js';
import { createAPIKeyAuth } from '../security/api-key-auth.js';
import { createCorsPolicy } from '../security/cors-policy.js';
import { mapError } from './map-error.js';

/** The settings the edge reads per request (so config reloads apply at once). */
export interface EdgeSettings {
  /** `APIKEY`: when set, every non-public route requires it. */
  apiKey: string | undefined;
  cors: ParsedServerConfig['cors'];
  /** `server.metricsAuth`: put `/metrics` behind the API key too (default false). */
  metricsAuth: boolean;
}

/** What the edge middleware needs from the server. */
export interface EdgeDependencies {
  getSettings(): EdgeSettings;
  /** True while the server drains for shutdown. */
  isDraining(): boolean;
  /** Paths an extension authenticates itself (skipped by the API key check). */
  isSelfAuthenticated?(method: string, path: string): boolean;
  /** Checks credentials that are not `APIKEY` (virtual keys); see `createAPIKeyAuth`. */
  authenticate?: CredentialAuthenticator;
}

const healthPaths = new Set(['/health', '/health/ready']);

/**
 * Routes reachable without the API key: `GET|HEAD /`, `/health`, `/health/ready`, and `/metrics`
 * unless `server.metricsAuth` is set (Prometheus scrapers rarely send custom headers).
 */
export function isPublicRoute(method: string, path: string, metricsAuth: boolean): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/' || healthPaths.has(path)) return true;
  return path === '/metrics' && !metricsAuth;
}

/**
 * Installs, in order: CORS and the browser-origin guard, the shutdown gate (new requests get 503
 * and `connection: close` while draining; health stays reachable), and API key authentication.
 * Must run before any route is registered.
 */
export function installEdgeMiddleware(app: Hono<ConduitEnv>, edge: EdgeDependencies): void {
  app.use(
    '*',
    createCorsPolicy(() => {
      const settings = edge.getSettings();
      return { cors: settings.cors, apiKey: settings.apiKey };
    }),
  );
  app.use('*', async (context, next) => {
    if (!edge.isDraining() || healthPaths.has(context.req.path)) return next();
    const mapped = mapError(new ShuttingDownError());
    return context.json(mapped.body, mapped.status as 503, { connection: 'close' });
  });
  app.use(
    '*',
    createAPIKeyAuth({
      getAPIKey: () => edge.getSettings().apiKey,
      isPublic: (method, path) =>
        isPublicRoute(method, path, edge.getSettings().metricsAuth) ||
        edge.isSelfAuthenticated?.(method, path) === true,
      authenticate: edge.authenticate,
    }),
  );
}
