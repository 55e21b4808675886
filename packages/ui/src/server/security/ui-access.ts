/**
 * The UI's gate, in front of every UI route and API:
 * - without `APIKEY` (loopback only), a `Host` that is not a loopback name is refused, so a
 *   DNS-rebinding page cannot read or change anything;
 * - state-changing requests must come from the UI's own origin (`Origin` / `Sec-Fetch-Site`);
 * - with `APIKEY`, a request needs the login session cookie or the key itself (`x-api-key` or
 *   `Authorization: Bearer`, for scripts); browsers asking for a page get the login page, with 401.
 * @module
 */
import { isLoopbackHost } from '@conduit/core';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { hostnameOf } from './hostname-of.js';
import { loginPageSecurityPolicy, renderLoginPage } from './login-page.js';
import { type SessionStore, secretMatches, sessionCookieName } from './session-store.js';

export interface UIAccessOptions {
  getAPIKey(): string | undefined;
  sessions: SessionStore;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The UI's error body: `{ error: { type, message } }`. */
export function uiError(
  context: Context,
  status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 503,
  type: string,
  message: string,
) {
  return context.json({ error: { type, message } }, status);
}

/** The credentials a script presented (`x-api-key`, or `Authorization` with or without `Bearer`). */
function presentedKeys(context: Context): string[] {
  const keys: string[] = [];
  const apiKey = context.req.header('x-api-key')?.trim();
  if (apiKey) keys.push(apiKey);
  const authorization = context.req.header('authorization')?.trim();
  if (authorization) keys.push(authorization.replace(/^bearer\s+/i, '').trim());
  return keys;
}

/** Whether the request carries a live session or the API key itself. */
export function isAuthenticated(context: Context, apiKey: string, sessions: SessionStore): boolean {
  if (sessions.isValid(getCookie(context, sessionCookieName), apiKey)) return true;
  let accepted = false;
  // Every credential is compared (no short-circuit), so timing does not tell which one matched.
  for (const key of presentedKeys(context)) if (secretMatches(key, apiKey)) accepted = true;
  return accepted;
}

/** Whether a state-changing request comes from this server's own pages (or from no page at all). */
export function isSameOriginRequest(context: Context): boolean {
  const fetchSite = context.req.header('sec-fetch-site');
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  const origin = context.req.header('origin');
  if (origin === undefined) return true;
  const host = context.req.header('host');
  if (!host) return false;
  const scheme = new URL(context.req.url).protocol;
  return origin === `${scheme}//${host}`;
}

function wantsPage(context: Context): boolean {
  return (
    context.req.method === 'GET' &&
    !context.req.path.startsWith('/ui/api/') &&
    (context.req.header('accept') ?? '').includes('text/html')
  );
}

/** Sends the login page (status 401) with its own strict content policy. */
export function loginPageResponse(context: Context, error?: string): Response {
  context.header('content-security-policy', loginPageSecurityPolicy);
  context.header('cache-control', 'no-store');
  return context.html(renderLoginPage(error), 401);
}

export function createUIAccessGuard(options: UIAccessOptions): MiddlewareHandler {
  return async (context, next) => {
    const apiKey = options.getAPIKey();
    if (!apiKey) {
      const hostname = hostnameOf(context.req.header('host') ?? '');
      if (!hostname || !isLoopbackHost(hostname)) {
        return uiError(
          context,
          403,
          'permission_error',
          `This Conduit has no APIKEY, so its UI answers only to loopback names (localhost, 127.0.0.1, [::1]); "Host: ${context.req.header('host') ?? ''}" was refused. Open it at http://127.0.0.1:<port>/ui/, or set APIKEY to reach it from elsewhere.`,
        );
      }
    }
    if (!safeMethods.has(context.req.method) && !isSameOriginRequest(context)) {
      return uiError(
        context,
        403,
        'forbidden_origin',
        'State-changing UI requests must come from the UI itself (same Origin).',
      );
    }
    const isLogin = context.req.path === '/ui/login' || context.req.path === '/ui/logout';
    if (apiKey && !isLogin && !isAuthenticated(context, apiKey, options.sessions)) {
      if (wantsPage(context)) return loginPageResponse(context);
      return uiError(
        context,
        401,
        'authentication_error',
        'Sign in at /ui/ (the session cookie), or send the APIKEY as x-api-key or Authorization: Bearer.',
      );
    }
    await next();
    return undefined;
  };
}
