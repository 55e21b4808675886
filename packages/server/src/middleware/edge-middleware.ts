import type { CredentialAuthenticator, ParsedServerConfig } from '@conduit/core';
import type { Context, ErrorHandler, Hono, Next } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { ShuttingDownError } from '../errors/shutting-down-error.js';
import { apiKeyMatches, createAPIKeyAuth, presentedCredentials } from '../security/api-key-auth.js';
import { createHostCheck } from '../security/host-guard.js';
import { checkBrowserOrigin, createCorsHandlers } from '../security/cors-policy.js';
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
 * Installs the edge as one middleware; in order: the browser-origin guard and CORS, the shutdown
 * gate (new requests get 503 and `connection: close` while draining; health stays reachable), the
 * `Host` check of a loopback bind (DNS rebinding), the `/health` liveness answer, and API key
 * authentication. One middleware, not five: each Hono layer costs every request an async call and
 * a closure, and most of these checks have nothing to do on a default config.
 * Must run before any route is registered; `onError` is the app's error handler.
 */
export function installEdgeMiddleware(
  app: Hono<ConduitEnv>,
  edge: EdgeDependencies,
  onError: ErrorHandler<ConduitEnv>,
): void {
  const corsHandlerFor = createCorsHandlers();
  const checkHost = createHostCheck(() => edge.getBoundHost?.());
  const authenticate = createAPIKeyAuth({
    isPublic: (method, path) =>
      isPublicRoute(method, path, edge.getSettings()) ||
      edge.isSelfAuthenticated?.(method, path) === true,
    authenticate: edge.authenticate,
  });

  /** Everything after CORS; answers a Response of its own, or what `next` answers. */
  const admitOrAnswer = (
    context: Context<ConduitEnv>,
    next: Next,
    settings: EdgeSettings,
  ): Promise<void | Response> => {
    if (edge.isDraining() && !healthPaths.has(context.req.path)) {
      const mapped = mapError(new ShuttingDownError());
      return Promise.resolve(
        context.json(mapped.body, mapped.status as 503, { connection: 'close' }),
      );
    }
    checkHost(settings.apiKey !== undefined, context.req);
    // Liveness for anyone; the detailed report (config path, storage, providers) for key holders.
    if (settings.apiKey && !settings.publicHealth && context.req.path === '/health') {
      const method = context.req.method;
      if (method === 'GET' || method === 'HEAD') {
        const presented = presentedCredentials(context.req.raw.headers);
        const expected = settings.apiKey;
        if (presented.some(credential => apiKeyMatches(credential, expected))) return next();
        return Promise.resolve(context.json({ status: 'ok' }));
      }
    }
    return authenticate(context, next, settings.apiKey);
  };

  /**
   * The same inside Hono's CORS middleware, which wraps it as a next layer: a refusal becomes the
   * error handler's answer here, as Hono does for a layer, so CORS still adds its headers to it.
   */
  const admitWithinCors = async (
    context: Context<ConduitEnv>,
    next: Next,
    settings: EdgeSettings,
  ): Promise<void> => {
    try {
      const answer = await admitOrAnswer(context, next, settings);
      if (answer && context.finalized === false) context.res = answer;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      context.error = error;
      context.res = await onError(error, context);
    }
  };

  app.use('*', (context, next) => {
    const settings = edge.getSettings();
    checkBrowserOrigin(settings.cors, settings.apiKey, context.req.header('origin'));
    const cors = settings.cors;
    if (cors === false) return admitOrAnswer(context, next, settings);
    return corsHandlerFor(cors)(context, () => admitWithinCors(context, next, settings));
  });
}
