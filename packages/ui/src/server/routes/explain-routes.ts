/**
 * `POST /ui/api/explain`: routes a pasted Messages request with the gateway's current config, as
 * `conduit route --explain` does, without calling upstream: every rule in precedence order, whether
 * it fired and why, the token count and the target. Plugin `customRouter` hooks are not run (they
 * may have side effects); their step says so.
 * @module
 */
import {
  type ParsedConduitConfig,
  ConduitRouter,
  getDefaultTokenCounter,
  type MessagesRequest,
} from '@conduit/core';
import { Hono } from 'hono';
import { describeInvalidInput, explainRequestSchema } from '../api-schemas.js';
import { uiError } from '../security/ui-access.js';
import type { UIGateway } from '../ui-gateway.js';

export function createExplainRoutes(options: { gateway: UIGateway }): Hono {
  const app = new Hono();
  const routers = new WeakMap<ParsedConduitConfig, ConduitRouter>();
  const tokenCounter = getDefaultTokenCounter();
  app.post('/explain', async context => {
    const raw = await context.req.json().catch(() => undefined);
    if (raw === undefined) {
      return uiError(
        context,
        400,
        'invalid_request_error',
        'The body must be JSON: { "body": <a Messages API request> }.',
      );
    }
    const parsed = explainRequestSchema.safeParse(raw);
    if (!parsed.success) {
      return uiError(
        context,
        400,
        'invalid_request_error',
        describeInvalidInput(parsed.error, 'explain'),
      );
    }
    const body = parsed.data.body;
    if (!Array.isArray(body.messages)) {
      return uiError(
        context,
        400,
        'invalid_request_error',
        'body: this is not an Anthropic Messages request: it has no "messages" array.',
      );
    }
    const config = options.gateway.config;
    let router = routers.get(config);
    if (!router) {
      router = new ConduitRouter(config, { tokenCounter });
      routers.set(config, router);
    }
    // Checked only for what the router reads (a "messages" array): the explain view takes any
    // pasted request, even one the gateway would refuse (no max_tokens, say), and says where it goes.
    const request = body as MessagesRequest;
    const tokenCount = tokenCounter.countRequest(request);
    const headers = Object.fromEntries(
      Object.entries(parsed.data.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const explanation = await router.explain({
      request: structuredClone(request),
      tokenCount,
      headers,
      metadata: parsed.data.metadata ?? {},
    });
    return context.json({
      tokenCount,
      decision: explanation.decision,
      steps: explanation.steps,
      error: explanation.error ? explanation.error.message : null,
    });
  });
  return app;
}
