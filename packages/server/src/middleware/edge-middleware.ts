import type { CredentialAuthenticator, ParsedServerConfig } from '@conduit/core';
import type { Hono } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { ShuttingDownError } from '../errors/shutting-down-error.js';
import { apiKeyMatches, createAPIKeyAuth, presentedCredentials } from '../security/api-key-auth.js';
import { createHostGuard } from '../security/host-guard.js';
import { createCorsPolicy } from '../security/cors-policy.js';
import { mapError } from './map-error.js';

/** The settings the edge reads per request (so config reloads apply at once). */
export interface EdgeSettings {
  /** `APIKEY`: when set, every non-public route requires it. */
  apiKey: string | undefined;
  cors: ParsedServerConfig['cors'];
  /**
   * `server.metricsAuth`: whether `/metrics` needs the API key. Unset: it does whenever `APIKEY`
   * is set (`false` opens it explicitly, e.g. for a scraper without headers).
   */
  metricsAuth: boolean | undefined;
  /**
   * `server.publicHealth`: with `APIKEY` set, the detailed `/health` and `/health/ready` need the
   * key unless this is true; without the key `/health` answers only `{"status":"ok"}`.
   */
  publicHealth: boolean;
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
  /** The address the server listens on (undefined for in-process use): the Host check needs it. */
  getBoundHost?(): string | undefined;
}

const healthPaths = new Set(['/health', '/health/ready']);

/**
 * Routes reachable without the API key (when `APIKEY` is set): `GET|HEAD /`, `/health` (its
 * liveness answer; see {@link installEdgeMiddleware}), `/health/ready` only with
 * `server.publicHealth`, `/metrics` only with `server.metricsAuth: false`.
 */
export function isPublicRoute(method: string, path: string, settings: EdgeSettings): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path === '/' || path === '/health') return true;
  if (path === '/health/ready') return settings.publicHealth;
  return path === '/metrics' && settings.metricsAuth === false;
}

/**
 * Installs, in order: CORS and the browser-origin guard, the shutdown gate (new requests get 503
 * and `connection: close` while draining; health stays reachable), the `Host` check of a loopback
 * bind (DNS rebinding), the `/health` liveness answer, and API key authentication.
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
    createHostGuard(
      () => edge.getBoundHost?.(),
      () => edge.getSettings().apiKey !== undefined,
    ),
  );
  // Liveness for anyone; the detailed report (config path, storage, providers) for key holders.
  app.on(['GET', 'HEAD'], '/health', async (context, next) => {
    const settings = edge.getSettings();
    if (!settings.apiKey || settings.publicHealth) return next();
    const presented = presentedCredentials(context.req.raw.headers);
    const expected = settings.apiKey;
    if (presented.some(credential => apiKeyMatches(credential, expected))) return next();
    return context.json({ status: 'ok' });
  });
  app.use(
    '*',
    createAPIKeyAuth({
      getAPIKey: () => edge.getSettings().apiKey,
      isPublic: (method, path) =>
        isPublicRoute(method, path, edge.getSettings()) ||
        edge.isSelfAuthenticated?.(method, path) === true,
      authenticate: edge.authenticate,
    }),
  );
}
