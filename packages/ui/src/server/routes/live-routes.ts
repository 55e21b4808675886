/**
 * `GET /ui/api/requests` (the last finished requests, newest first) and `GET /ui/api/events`
 * (Server-Sent Events: one `request` event per finished request, a comment every 15 s so proxies
 * keep the stream open).
 * @module
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { RequestEvent } from '../api-schemas.js';
import type { RequestFeed } from '../live/request-feed.js';
import { uiError } from '../security/ui-access.js';

const heartbeatMs = 15_000;

export function createLiveRoutes(options: { feed: RequestFeed }): Hono {
  const app = new Hono();
  app.get('/requests', context => {
    const limit = Math.min(
      Math.max(Number.parseInt(context.req.query('limit') ?? '200', 10) || 200, 1),
      1000,
    );
    return context.json({ requests: options.feed.list(limit) });
  });
  app.get('/requests/:id', context => {
    const event = options.feed.find(context.req.param('id'));
    if (!event)
      return uiError(
        context,
        404,
        'not_found_error',
        'No recent request has that id (the log keeps the last few hundred).',
      );
    return context.json(event);
  });
  app.get('/events', context => {
    context.header('cache-control', 'no-store');
    context.header('x-accel-buffering', 'no');
    return streamSSE(context, async stream => {
      const queue: RequestEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = options.feed.subscribe(event => {
        queue.push(event);
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: '{}' });
      try {
        while (open) {
          const next = queue.shift();
          if (next !== undefined) {
            await stream.writeSSE({ event: 'request', data: JSON.stringify(next), id: next.id });
            continue;
          }
          const waited = await new Promise<'event' | 'timeout'>(resolve => {
            const timer = setTimeout(() => resolve('timeout'), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve('event');
            };
          });
          wake = undefined;
          if (waited === 'timeout' && open) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
  return app;
}
