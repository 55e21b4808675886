/**
 * claude-code-router's UI endpoints, at the same paths with compatible shapes, so scripts written
 * for `ccr ui` keep working:
 * - `GET /api/config`: the config file as a JSON object (secrets redacted: unlike CCR, keys never
 *   leave the server; `$VAR` references stay);
 * - `POST /api/config`: a whole config object; validated (400 with every issue when invalid, file
 *   untouched), backed up, written, and (unlike CCR) hot-reloaded. Redacted placeholders are put
 *   back. The file is rewritten as plain JSON, as CCR does;
 * - `GET /api/transformers`: `{ transformers: [{ name, endpoint }] }`;
 * - `POST /api/restart`: re-reads the config file (Conduit applies config without a restart).
 * @module
 */
import { Hono } from 'hono';
import type { ConfigEditor } from '../config/config-editor.js';
import type { UIGateway } from '../ui-gateway.js';

export function createCCRRoutes(options: {
  editor: ConfigEditor;
  gateway: UIGateway;
  listTransformers?: () => readonly string[];
}): Hono {
  const app = new Hono();
  app.get('/config', async context => {
    const file = await options.editor.read();
    return context.json(file.config ?? {});
  });
  app.post('/config', async context => {
    const body = await context.req.json().catch(() => undefined);
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      return context.json(
        { success: false, message: 'The body must be the config as a JSON object.' },
        400,
      );
    }
    const result = await options.editor.save(`${JSON.stringify(body, null, 2)}\n`);
    if (!result.saved) {
      return context.json(
        { success: false, message: result.message, issues: result.issues },
        result.status === 422 ? 400 : result.status,
      );
    }
    return context.json({
      success: true,
      message: result.reloaded
        ? 'Config saved successfully and applied'
        : 'Config saved successfully',
      backup: result.backup,
    });
  });
  app.get('/transformers', context =>
    context.json({
      transformers: (options.listTransformers?.() ?? []).map(name => ({ name, endpoint: null })),
    }),
  );
  app.post('/restart', async context => {
    const reloaded = await options.gateway.reloadConfigFile();
    return context.json(
      reloaded
        ? { success: true, message: 'Config reloaded; Conduit applies changes without a restart' }
        : {
            success: false,
            message:
              'The config file could not be applied (see the gateway log); the previous config keeps serving',
          },
      reloaded ? 200 : 409,
    );
  });
  return app;
}
