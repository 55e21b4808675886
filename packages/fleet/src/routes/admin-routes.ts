import { type AuthenticatedPrincipal, RequestRefusedError } from '@conduit/core';
import { Hono } from 'hono';
import { type CreateKeyInput, type KeyManager, VirtualKeyError } from '../keys/key-manager.js';

/** The Hono environment the admin routes read: the server sets `conduitPrincipal`. */
export interface AdminEnv {
  Variables: { conduitPrincipal: AuthenticatedPrincipal | undefined };
}

/** Any Hono app whose environment carries the principal (the Conduit server's app). */
export interface AdminMountPoint {
  route(path: string, app: Hono<AdminEnv>): unknown;
}

function requireMaster(principal: AuthenticatedPrincipal | undefined): void {
  if (principal?.kind === 'master') return;
  throw new RequestRefusedError({
    statusCode: principal ? 403 : 401,
    errorType: principal ? 'permission_error' : 'authentication_error',
    message:
      'The key admin API needs the master APIKEY (set "APIKEY" in the config and send it as x-api-key).',
    reason: 'admin-needs-master-key',
  });
}

function keyError(error: unknown): never {
  if (VirtualKeyError.isInstance(error)) {
    throw new RequestRefusedError({
      statusCode: error.statusCode,
      errorType: error.statusCode === 404 ? 'not_found_error' : 'invalid_request_error',
      message: error.message,
    });
  }
  throw error;
}

/**
 * `GET|POST /api/fleet/keys`, `GET /api/fleet/keys/:id`, `POST /api/fleet/keys/:id/revoke`,
 * `POST /api/fleet/keys/:id/rotate`: the key admin API, for the master `APIKEY` only (virtual keys
 * are refused). Secrets appear once, in the create and rotate answers.
 */
export function mountAdminRoutes(app: AdminMountPoint, keys: KeyManager): void {
  const admin = new Hono<AdminEnv>();
  admin.use('*', async (context, next) => {
    requireMaster(context.get('conduitPrincipal'));
    await next();
  });
  admin.get('/keys', async context => context.json({ keys: await keys.list() }));
  admin.post('/keys', async context => {
    let body: CreateKeyInput;
    try {
      body = (await context.req.json()) as CreateKeyInput;
    } catch {
      throw new RequestRefusedError({
        statusCode: 400,
        errorType: 'invalid_request_error',
        message: 'send a JSON body like {"name":"ci","limits":{"rpm":60}}',
      });
    }
    const issued = await keys.create(body ?? ({} as CreateKeyInput)).catch(keyError);
    return context.json(issued, 201);
  });
  admin.get('/keys/:id', async context =>
    context.json(await keys.get(context.req.param('id')).catch(keyError)),
  );
  admin.post('/keys/:id/revoke', async context =>
    context.json(await keys.revoke(context.req.param('id')).catch(keyError)),
  );
  admin.post('/keys/:id/rotate', async context =>
    context.json(await keys.rotate(context.req.param('id')).catch(keyError)),
  );
  app.route('/api/fleet', admin);
}
