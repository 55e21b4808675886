/** `POST /ui/login` (form or JSON `{ apiKey }`) and `POST /ui/logout`. @module */
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { describeInvalidInput, loginSchema } from '../api-schemas.js';
import { loginPageResponse, uiError } from './ui-access.js';
import { type SessionStore, secretMatches, sessionCookieName } from './session-store.js';

export function createLoginRoutes(options: {
  getAPIKey(): string | undefined;
  sessions: SessionStore;
}): Hono {
  const app = new Hono();
  app.post('/login', async context => {
    const isForm = (context.req.header('content-type') ?? '').includes('form');
    const raw = isForm
      ? Object.fromEntries(
          Object.entries(await context.req.parseBody()).filter(
            ([, value]) => typeof value === 'string',
          ),
        )
      : await context.req.json().catch(() => null);
    const apiKey = options.getAPIKey();
    if (!apiKey) return isForm ? context.redirect('/ui/', 303) : context.json({ ok: true });
    const parsed = loginSchema.safeParse(raw);
    if (!parsed.success) {
      return isForm
        ? loginPageResponse(context, 'Enter the API key.')
        : uiError(
            context,
            401,
            'authentication_error',
            describeInvalidInput(parsed.error, 'login'),
          );
    }
    if (!secretMatches(parsed.data.apiKey, apiKey)) {
      return isForm
        ? loginPageResponse(context, 'That is not this gateway’s API key.')
        : uiError(context, 401, 'authentication_error', 'Invalid API key.');
    }
    setCookie(context, sessionCookieName, options.sessions.open(apiKey), {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(context.req.url).protocol === 'https:',
      maxAge: options.sessions.maxAgeSeconds,
    });
    return isForm ? context.redirect('/ui/', 303) : context.json({ ok: true });
  });
  app.post('/logout', context => {
    options.sessions.close(getCookie(context, sessionCookieName));
    deleteCookie(context, sessionCookieName, { path: '/' });
    return context.json({ ok: true });
  });
  return app;
}
