import { EventEmitter } from 'node:events';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import {
  type ConduitPlugin,
  type Logger,
  type PluginLogger,
  type RequestRoutingContext,
  silentLogger,
} from '@conduit/core';
import type { BuiltinPluginContext } from '../builtin/builtin-plugin-context.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import { importPluginModule, resolvePluginFile } from '../loading/import-plugin-module.js';
import { describeValue } from '../loading/instantiate-plugin.js';
import { isRecord } from '../loading/normalize-plugin-entry.js';
import { CUSTOM_ROUTER_PLUGIN_NAME } from './plugin-configs-from-conduit-config.js';

/** The `req` a CCR custom router receives: the parts of CCR's Fastify request routers use. */
export interface CustomRouterRequest {
  /** The Anthropic Messages body. Mutations are kept, as in CCR. */
  body: RequestRoutingContext['request'];
  tokenCount?: number;
  sessionId?: string;
  /** Lower-cased inbound headers. */
  headers: Record<string, string>;
  /** Conduit routing metadata (not in CCR; handy for routers written for Conduit). */
  metadata: Record<string, unknown>;
  /** A pino-style logger: `log.info("msg")` or `log.info({ some: "object" }, "msg")`. */
  log: CustomRouterLog;
}

type LogMethod = (objectOrMessage: unknown, message?: string) => void;

/** The pino-like `req.log` of CCR. */
export interface CustomRouterLog {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
}

/** A CCR `CUSTOM_ROUTER_PATH` module: `async (req, config, { event }) => "provider,model" | null`. */
export type CustomRouterFunction = (
  request: CustomRouterRequest,
  config: Readonly<Record<string, unknown>>,
  context: { event: EventEmitter },
) => unknown;

/**
 * The plugin made from a CCR custom router. `events` is the emitter handed to the router. Conduit
 * emits nothing on it (CCR emits its Fastify `onSend`/`onError` hooks there, which Conduit does
 * not have): it is the router's own, cleared on unload.
 */
export interface CustomRouterPlugin extends ConduitPlugin {
  events: EventEmitter;
}

/** Options of {@link createCustomRouterPlugin}. */
export interface CustomRouterPluginOptions {
  /** The whole Conduit config, passed as the router's second argument (CCR passes its config). */
  conduitConfig?: Readonly<Record<string, unknown>>;
  /** Directory a relative path resolves against. Default `process.cwd()`. */
  baseDir?: string;
  logger?: Logger | PluginLogger;
  /** Plugin name. Default `custom-router` (the router reports such decisions as `custom-router`). */
  name?: string;
  /**
   * Evaluate the script again instead of taking it from the module cache (a reload picks up
   * edits). `generation` must differ between fresh loads. Default false.
   */
  fresh?: boolean;
  generation?: number;
}

/**
 * Loads a claude-code-router `CUSTOM_ROUTER_PATH` script (CommonJS `module.exports = async function
 * router(req, config, { event })`, or an ESM default export) and wraps it as a plugin with
 * `customRouter`. The router gets a CCR-like `req` (`body`, `tokenCount`, `sessionId`, `headers`,
 * `log`), the full config, and an `EventEmitter`; it returns `"provider,model"` or a falsy value to
 * fall through to the built-in rules.
 *
 * @example
 * ```ts
 * const plugin = await createCustomRouterPlugin('~/.claude-code-router/custom-router.js', { conduitConfig });
 * ```
 */
export async function createCustomRouterPlugin(
  path: string,
  {
    conduitConfig = {},
    baseDir = process.cwd(),
    logger = silentLogger,
    name = CUSTOM_ROUTER_PLUGIN_NAME,
    fresh = false,
    generation = 0,
  }: CustomRouterPluginOptions = {},
): Promise<CustomRouterPlugin> {
  const expanded = /^~[\\/]/.test(path) ? `${homedir()}${path.slice(1)}` : path;
  const absolutePath = resolvePluginFile(
    isAbsolute(expanded) ? expanded : resolve(baseDir, expanded),
    {
      baseDir,
      pluginName: name,
    },
  );
  const moduleValue = await importPluginModule(absolutePath, { fresh, generation });
  const router = findRouterFunction(moduleValue);
  if (!router) {
    throw new PluginLoadError({
      pluginName: name,
      stage: 'shape',
      message: `CUSTOM_ROUTER_PATH ${absolutePath} exports ${describeValue(moduleValue)} without a router function; use module.exports = async function router(req, config) { ... }.`,
    });
  }
  const events = new EventEmitter();
  const log = createPinoStyleLog(logger);
  return {
    name,
    description: `claude-code-router custom router (${absolutePath})`,
    events,
    customRouter: (context: RequestRoutingContext) =>
      router(
        {
          body: context.request,
          tokenCount: context.tokenCount,
          sessionId: context.sessionId,
          headers: context.headers ?? {},
          metadata: context.metadata ?? {},
          log,
        },
        conduitConfig,
        { event: events },
      ) as ReturnType<NonNullable<ConduitPlugin['customRouter']>>,
    onUnload: () => {
      events.removeAllListeners();
    },
  };
}

/** The `custom-router` built-in: `{ "path": "<CUSTOM_ROUTER_PATH>" }`. */
export async function createCustomRouterBuiltin(
  config: Record<string, unknown>,
  context: BuiltinPluginContext,
): Promise<ConduitPlugin> {
  const { path } = config;
  if (typeof path !== 'string' || path.trim() === '') {
    throw new PluginLoadError({
      pluginName: CUSTOM_ROUTER_PLUGIN_NAME,
      stage: 'config',
      message: 'the custom-router plugin needs config.path (the CUSTOM_ROUTER_PATH script).',
    });
  }
  return createCustomRouterPlugin(path, {
    conduitConfig: context.conduitConfig,
    baseDir: context.baseDir,
    logger: context.logger,
    fresh: context.fresh,
    generation: context.generation,
  });
}

function findRouterFunction(moduleValue: unknown): CustomRouterFunction | undefined {
  let current: unknown = moduleValue;
  // module.exports = fn  →  { default: fn };  transpiled exports.default = fn  →  { default: { default: fn } }
  for (let depth = 0; depth < 3; depth += 1) {
    if (typeof current === 'function') return current as CustomRouterFunction;
    if (!isRecord(current)) return undefined;
    current = current.default ?? current.router;
  }
  return typeof current === 'function' ? (current as CustomRouterFunction) : undefined;
}

function createPinoStyleLog(logger: Logger | PluginLogger): CustomRouterLog {
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogMethod =>
    (objectOrMessage, message) => {
      if (typeof objectOrMessage === 'string') {
        logger[level](objectOrMessage);
        return;
      }
      const details = isRecord(objectOrMessage)
        ? objectOrMessage
        : objectOrMessage instanceof Error
          ? { error: objectOrMessage.message }
          : { value: objectOrMessage };
      logger[level](message ?? 'custom router', details);
    };
  return {
    trace: write('debug'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('error'),
  };
}
