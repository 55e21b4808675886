/**
 * The editor's API: `GET /ui/api/config` (the file, redacted), `POST /ui/api/config/validate`
 * (`{ text }`: every issue with its key and fix) and `PUT /ui/api/config` (`{ text, revision }`:
 * validate, back up, write atomically, hot-reload; 422 with the issues when invalid, 409 when the
 * file changed meanwhile).
 * @module
 */
import { type Context, Hono } from 'hono';
import { type ConfigText, configTextSchema, describeInvalidInput } from '../api-schemas.js';
import type { ConfigEditor } from '../config/config-editor.js';
import { uiError } from '../security/ui-access.js';

/** The JSON body as `{ text, revision? }`, or the 400 answer naming what is wrong. */
async function readConfigText(context: Context): Promise<ConfigText | Response> {
  const parsed = configTextSchema.safeParse(await context.req.json().catch(() => null));
  if (parsed.success) return parsed.data;
  return uiError(context, 400, 'invalid_request_error', describeInvalidInput(parsed.error, 'body'));
}

export function createConfigRoutes(options: { editor: ConfigEditor }): Hono {
  const app = new Hono();
  app.get('/config', async context => context.json(await options.editor.read()));
  app.post('/config/validate', async context => {
    const body = await readConfigText(context);
    if (body instanceof Response) return body;
    const { restoredText: _restored, ...validation } = await options.editor.validate(body.text);
    return context.json(validation);
  });
  app.put('/config', async context => {
    const body = await readConfigText(context);
    if (body instanceof Response) return body;
    const result = await options.editor.save(body.text, body.revision);
    if (!result.saved) {
      return context.json(
        {
          saved: false,
          error: { type: 'invalid_config', message: result.message },
          issues: result.issues,
        },
        result.status,
      );
    }
    return context.json(result);
  });
  return app;
}
