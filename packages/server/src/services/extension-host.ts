import type {
  CircuitState,
  ParsedConduitConfig,
  Logger,
  RequestObserver,
  RequestRecord,
  RequestRoutingContext,
  ResponseHooks,
  RoutingContext,
  RoutingDecision,
  RoutingHooks,
  ServerExtension,
} from '@conduit/core';
import { HealthMonitor } from '@conduit/core';
import { combineResponseHooks } from '../extensions/response-hooks.js';
import {
  type CircuitStateSource,
  createProvidersCheck,
  createRouterCheck,
  createServerCheck,
} from './gateway-health-checks.js';

/** What {@link ExtensionHost} is built from (a subset of the server's options). */
export interface ExtensionHostOptions {
  config: ParsedConduitConfig;
  configPath?: string;
  logger: Logger;
  extensions: readonly ServerExtension[];
  /** Routing hooks of the caller, run before the extensions'. */
  hooks?: RoutingHooks;
  /** The caller's own observer, run after the extensions'. */
  observer?: RequestObserver;
  responseHooks?: ResponseHooks;
  getCircuitStates?: CircuitStateSource;
  getConfig(): ParsedConduitConfig;
  getServerState(): 'idle' | 'listening' | 'stopping';
}

/**
 * The server's side of its extensions: their routing hooks chained, their observers fanned out
 * (each isolated), their response hooks combined, their health checks next to the server's own
 * (`server`, `router`, `providers`) in one monitor, and their lifecycle. The server knows no
 * extension by name.
 */
export class ExtensionHost {
  readonly hooks: RoutingHooks | undefined;
  readonly observer: RequestObserver;
  readonly responseHooks: ResponseHooks | undefined;
  readonly health: HealthMonitor;
  private readonly extensions: readonly ServerExtension[];
  private readonly logger: Logger;
  private started: Promise<void> | undefined;
  private monitoring = false;

  constructor(options: ExtensionHostOptions) {
    this.extensions = options.extensions;
    this.logger = options.logger;
    this.hooks = chainRoutingHooks([
      ...(options.hooks ? [options.hooks] : []),
      ...this.extensions.flatMap(extension => (extension.hooks ? [extension.hooks] : [])),
    ]);
    this.observer = this.createObserver(options.observer);
    this.responseHooks = combineResponseHooks([
      ...this.extensions.map(extension => extension.responseHooks),
      options.responseHooks,
    ]);
    this.health = new HealthMonitor({
      intervalMs: options.config.server.healthCheck.intervalMs,
      logger: options.logger,
    });
    this.registerChecks(options);
  }

  /** Tells every extension about a circuit breaker's state. */
  reportCircuitState(target: { provider: string; model: string }, state: CircuitState): void {
    for (const extension of this.extensions) {
      this.isolate(extension, 'onCircuitStateChange', () =>
        extension.onCircuitStateChange?.(target, state),
      );
    }
  }

  /** Starts the extensions (once; later calls wait for the first). */
  start(config: ParsedConduitConfig): Promise<void> {
    this.started ??= (async () => {
      for (const extension of this.extensions) await extension.start?.(config);
    })();
    return this.started;
  }

  /** Hands a new config to every extension, in order. */
  async applyConfig(config: ParsedConduitConfig, previous: ParsedConduitConfig): Promise<void> {
    for (const extension of this.extensions) await extension.applyConfig?.(config, previous);
  }

  /** Runs the health checks on `server.healthCheck.intervalMs` (unref'd) when enabled. */
  startMonitoring(config: ParsedConduitConfig): void {
    if (this.monitoring || !config.server.healthCheck.enabled) return;
    this.monitoring = true;
    this.health.start();
  }

  /** Stops the monitor and closes every extension (in reverse order). Never throws. */
  async close(): Promise<void> {
    this.health.stop();
    this.monitoring = false;
    for (const extension of [...this.extensions].reverse()) {
      await extension.close?.().catch((error: unknown) => {
        this.logger.error(`extension ${extension.name} did not close cleanly`, {
          message: error instanceof Error ? error.message : String(error),
        });
      });
    }
  }

  /**
   * One after the other, each waiting for the previous one's promise, if it returns one. The
   * observers of the built-in extensions are synchronous: then the whole chain runs at once and
   * returns nothing (no async function, promise or microtask per request).
   */
  private createObserver(own: RequestObserver | undefined): RequestObserver {
    const extensions = this.extensions.filter(extension => extension.observer);
    const warn = (extension: ServerExtension, error: unknown) => {
      this.logger.warn(`${extension.name} failed to record a request`, {
        message: error instanceof Error ? error.message : String(error),
      });
    };
    const runFrom = (record: RequestRecord, first: number): void | Promise<void> => {
      for (let index = first; index < extensions.length; index++) {
        const extension = extensions[index]!;
        let result: void | Promise<void> | undefined;
        try {
          result = extension.observer?.onRequestComplete(record);
        } catch (error) {
          warn(extension, error);
          continue;
        }
        if (result && typeof result.then === 'function') {
          return result.then(
            () => runFrom(record, index + 1),
            (error: unknown) => {
              warn(extension, error);
              return runFrom(record, index + 1);
            },
          );
        }
      }
      return own?.onRequestComplete(record);
    };
    return { onRequestComplete: (record: RequestRecord) => runFrom(record, 0) };
  }

  private isolate(extension: ServerExtension, hook: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.warn(`extension ${extension.name} failed in ${hook}`, {
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private registerChecks(options: ExtensionHostOptions): void {
    this.health.registerCheck('server', createServerCheck(options.getServerState));
    this.health.registerCheck('router', createRouterCheck(options.getConfig, options.configPath));
    this.health.registerCheck(
      'providers',
      createProvidersCheck(options.getConfig, () => {
        const states = options.getCircuitStates?.() ?? [];
        for (const entry of states) this.reportCircuitState(entry, entry.state);
        return states;
      }),
    );
    for (const extension of this.extensions) {
      for (const check of extension.healthChecks ?? []) {
        this.health.registerCheck(check.name, check.check, {
          ...(check.critical === undefined ? {} : { critical: check.critical }),
        });
      }
    }
  }
}

/**
 * Runs several routing hooks as one: `beforeRouting` and `afterRouting` in order, each seeing
 * the previous one's result; `customRoute` answers with the first hooks that return a route;
 * `rewritesRequests` is true when any of them may rewrite the request.
 */
export function chainRoutingHooks(hooks: readonly RoutingHooks[]): RoutingHooks | undefined {
  if (hooks.length <= 1) return hooks[0];
  return {
    beforeRouting: async (context: RoutingContext) => {
      let current = context;
      for (const entry of hooks) current = await entry.beforeRouting(current);
      return current;
    },
    // Hooks that do not say may rewrite the request: the chain may as soon as one of them may.
    rewritesRequests: () => hooks.some(entry => entry.rewritesRequests?.() ?? true),
    isIdle: () => hooks.every(entry => entry.isIdle?.() === true),
    customRoute: async (context: RequestRoutingContext) => {
      for (const entry of hooks) {
        const route = await entry.customRoute(context);
        if (route) return route;
      }
      return null;
    },
    afterRouting: async (decision: RoutingDecision, context: RequestRoutingContext) => {
      let current = decision;
      for (const entry of hooks) current = await entry.afterRouting(current, context);
      return current;
    },
  };
}
