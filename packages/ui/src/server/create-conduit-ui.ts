/**
 * `createConduitUI`: the web dashboard and config editor as a server extension, plus the request
 * observer and resilience events that feed its live views. The gateway's composition wires the
 * four parts in; nothing else in the gateway knows about the UI.
 * @module
 */
import { silentLogger } from '@conduit/core';
import { computeCost } from '@conduit/monitoring';
import { type Env, Hono } from 'hono';
import { requestEventSchema, type RequestEvent } from './api-schemas.js';
import { UIAssets } from './assets/ui-assets.js';
import { ConfigEditor } from './config/config-editor.js';
import { KeyCooldowns } from './live/key-cooldowns.js';
import { type ObservedRequest, RequestFeed } from './live/request-feed.js';
import { createBudgetsRoutes } from './routes/budgets-routes.js';
import { createCCRRoutes } from './routes/ccr-routes.js';
import { createConfigRoutes } from './routes/config-routes.js';
import { createExplainRoutes } from './routes/explain-routes.js';
import { createLiveRoutes } from './routes/live-routes.js';
import { createProvidersRoutes } from './routes/providers-routes.js';
import { createStatsRoutes } from './routes/stats-routes.js';
import { createLoginRoutes } from './security/login-routes.js';
import { SessionStore } from './security/session-store.js';
import { createUIAccessGuard, uiError } from './security/ui-access.js';
import type { UIGateway } from './ui-gateway.js';
import type { ConduitUIOptions } from './ui-options.js';

/** The paths the UI serves: everything under `/ui`, and CCR's config endpoints. */
const ccrPaths = new Set(['/api/config', '/api/transformers', '/api/restart']);

/** Whether the UI owns (and authenticates) a path. */
export function isUIPath(_method: string, path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/') || ccrPaths.has(path);
}

/** What `createConduitUI` returns: the parts the gateway's composition plugs in. */
export interface ConduitUI {
  /** Mounts `/ui/*` and CCR's `/api/config`, `/api/transformers`, `/api/restart`. */
  extension<E extends Env>(app: Hono<E>, gateway: UIGateway): void;
  /** Feeds the live request log (one call per finished `/v1/messages` request). */
  observer: { onRequestComplete(record: ObservedRequest): void };
  /** Feeds the Providers page's key-pool cooldowns. */
  resilienceEvents: {
    onKeyCooldown(event: {
      provider: string;
      keyIndex: number;
      status: number;
      availableAt: number;
    }): void;
  };
  /** For the server's `selfAuthenticatedPaths`: the UI checks its own session or API key. */
  selfAuthenticatedPaths(method: string, path: string): boolean;
  /**
   * The live log across a fleet of instances (wired by the composition root when instances share
   * Redis): this instance's finished requests go out, the others' come in.
   */
  liveFeed: {
    /** Calls `listener` with each request this instance finished, as the log shows it. */
    onLocalRequest(listener: (event: RequestEvent) => void): void;
    /**
     * Adds a request `instance` served to the log and its event streams. The event is validated
     * and fields the log does not know are dropped; false (and nothing added) when it is invalid.
     */
    addPeerRequest(event: unknown, instance: string): boolean;
  };
}

/**
 * Creates the UI. `@conduit/conduit`'s composition root wires all four parts (`createConduit(config,
 * { configPath, ui: true })`); by hand, the server gets `extensions: [app => ui.extension(app,
 * gateway)]` (a {@link UIGateway} over the server and its ledger), `observer`,
 * `resilienceEvents` and `selfAuthenticatedPaths`.
 *
 * @example
 * ```ts
 * const gateway = createConduit(config, { configPath, ui: true });
 * await gateway.start({ port: 3456 }); // open http://127.0.0.1:3456/ui/
 * ```
 */
export function createConduitUI(options: ConduitUIOptions = {}): ConduitUI {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const cooldowns = new KeyCooldowns();
  const localListeners: Array<(event: RequestEvent) => void> = [];
  const sessions = new SessionStore(options.sessionTtlMs ?? 12 * 3_600_000, now);
  const assets = new UIAssets(options.assetsDirectory);
  let gateway: UIGateway | undefined;

  const price = (provider: string, model: string, tokens: Parameters<typeof computeCost>[0]) => {
    const resolved = gateway?.usageTracker?.prices.resolve(provider, model);
    return resolved ? computeCost(tokens, resolved.price) : null;
  };
  const feed = new RequestFeed(options.recentRequests ?? 500, price);

  return {
    extension(app, host) {
      gateway = host;
      const getAPIKey = () => host.config.APIKEY || undefined;
      const editor = new ConfigEditor({
        gateway: host,
        configPath: options.configPath,
        validators: options.configValidators,
        env: options.env,
        keepBackups: options.keepBackups ?? 5,
        now,
        logger,
      });
      const guard = createUIAccessGuard({ getAPIKey, sessions });
      app.use('/ui', guard);
      app.use('/ui/*', guard);
      for (const path of ccrPaths) app.use(path, guard);

      const api = new Hono();
      api.get('/session', context =>
        context.json({
          authRequired: getAPIKey() !== undefined,
          configPath: options.configPath ?? null,
        }),
      );
      api.route('/', createStatsRoutes({ gateway: host, now }));
      api.route('/', createLiveRoutes({ feed }));
      api.route('/', createExplainRoutes({ gateway: host }));
      api.route('/', createConfigRoutes({ editor }));
      api.route('/', createProvidersRoutes({ gateway: host, cooldowns, now }));
      api.route('/', createBudgetsRoutes({ gateway: host, now }));
      api.all('/*', context =>
        uiError(
          context,
          404,
          'not_found_error',
          `${context.req.method} ${context.req.path} is not a UI API endpoint.`,
        ),
      );
      app.route('/ui/api', api);
      app.route('/ui', createLoginRoutes({ getAPIKey, sessions }));
      app.route(
        '/api',
        createCCRRoutes({ editor, gateway: host, listTransformers: options.listTransformers }),
      );

      app.get('/ui', context => context.redirect('/ui/', 308));
      app.get('/ui/', context => {
        const problem = assets.problem;
        if (problem) return uiError(context, 503, 'ui_unavailable', problem);
        return (
          assets.serve(context, 'index.html') ??
          uiError(context, 503, 'ui_unavailable', 'index.html is missing.')
        );
      });
      app.get('/ui/assets/*', context => {
        const name = context.req.path.slice('/ui/'.length);
        return (
          assets.serve(context, name) ??
          uiError(context, 404, 'not_found_error', `${name} is not a UI asset.`)
        );
      });
    },
    observer: {
      onRequestComplete(record) {
        // The event is built (and priced) only for a stream or a fleet listening now; else on read.
        const event = feed.record(record, localListeners.length > 0);
        if (event === undefined) return;
        for (const listener of localListeners) listener(event);
      },
    },
    resilienceEvents: {
      onKeyCooldown(event) {
        cooldowns.record(event);
      },
    },
    selfAuthenticatedPaths: isUIPath,
    liveFeed: {
      onLocalRequest(listener) {
        localListeners.push(listener);
      },
      addPeerRequest(event, instance) {
        const parsed = requestEventSchema.safeParse(event);
        if (!parsed.success) return false;
        feed.publish({ ...parsed.data, instance });
        return true;
      },
    },
  };
}
