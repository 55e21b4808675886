import {
  ConfigError,
  type CustomRouteResult,
  type Logger,
  type RequestRoutingContext,
  type RoutingContext,
  type RoutingDecision,
  type RoutingHooks,
  silentLogger,
  toRequestContext,
} from '@conduit/core';
import { isBuiltinPluginName } from './builtin/builtin-plugins.js';
import {
  CUSTOM_ROUTER_PLUGIN_NAME,
  createCustomRouterEntry,
} from './ccr/plugin-configs-from-conduit-config.js';
import {
  checkCustomRoute,
  checkRoutingContext,
  checkRoutingDecision,
  MalformedHookResultError,
} from './check-hook-results.js';
import { PluginLoadError } from './errors/plugin-load-error.js';
import { PluginRejectionError } from './errors/plugin-rejection-error.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type {
  LoadedPluginInfo,
  PluginLoadFailure,
  PluginLoadReport,
  PluginManagerOptions,
} from './plugin-manager-types.js';
import { describeError } from './loading/instantiate-plugin.js';
import { asLoadError, loadPlugin } from './loading/load-plugin.js';
import {
  type NormalizedPluginEntry,
  normalizePluginEntry,
  type PluginEntry,
} from './loading/normalize-plugin-entry.js';
import { type PluginHealthReport, collectPluginHealth } from './plugin-health.js';
import { runWithTimeout } from './run-with-timeout.js';
import { toPluginDecision } from './to-plugin-decision.js';

type HookName = 'beforeRouting' | 'afterRouting' | 'customRouter';

type HookOutcome<T> = { ok: true; value: T } | { ok: false };

/**
 * Loads Conduit plugins and runs their routing hooks with isolation: a plugin that fails to load,
 * throws, rejects, hangs past its timeout or answers with a malformed value is logged by name and
 * skipped, and routing carries on. Only a {@link PluginRejectionError} (a deliberate refusal)
 * propagates to the caller.
 *
 * @example
 * ```ts
 * const plugins = new PluginManager({ logger, baseDir: dirname(configPath), conduitConfig: config });
 * await plugins.loadPlugins(pluginConfigsFromConduitConfig(config, { baseDir: dirname(configPath) }));
 * const router = createConduitRouter(config, { hooks: plugins });
 * ```
 */
export class PluginManager implements RoutingHooks {
  private readonly logger: Logger;
  private readonly hookTimeoutMs: number;
  private readonly loadTimeoutMs: number;
  private readonly baseDir: string;
  private readonly conduitConfig: Readonly<Record<string, unknown>>;
  private readonly resolvePaths: string[];
  private readonly customRouterPath?: string;
  private readonly maxConsecutiveFailures: number;
  /** Replaced (never mutated in place) so hooks in flight keep a consistent list. */
  private plugins: readonly LoadedPlugin[] = [];
  private loadFailures: PluginLoadFailure[] = [];
  private lifecycle: Promise<unknown> = Promise.resolve();
  private generation = 0;

  constructor(options: PluginManagerOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.hookTimeoutMs = positiveOr(options.hookTimeoutMs, 2000);
    this.loadTimeoutMs = positiveOr(options.loadTimeoutMs, 10000);
    this.baseDir = options.baseDir ?? process.cwd();
    this.conduitConfig = options.conduitConfig ?? {};
    this.resolvePaths = [...new Set(options.resolvePaths ?? [this.baseDir, process.cwd()])];
    this.customRouterPath = options.customRouterPath;
    this.maxConsecutiveFailures = positiveOr(
      options.maxConsecutiveFailures,
      Number.POSITIVE_INFINITY,
    );
  }

  /**
   * Loads plugins in config order (one after another) and adds them to those already loaded.
   * Never throws for a bad plugin: failures are logged and listed in the report.
   */
  loadPlugins(
    entries: readonly (PluginEntry | Record<string, unknown>)[],
  ): Promise<PluginLoadReport> {
    return this.serialize(() => this.loadAll(entries, { fresh: false }));
  }

  /** Unloads everything, then loads `entries` (modules are re-imported). Use on config change. */
  reload(entries: readonly (PluginEntry | Record<string, unknown>)[]): Promise<PluginLoadReport> {
    return this.serialize(async () => {
      await this.unloadAll();
      return this.loadAll(entries, { fresh: true });
    });
  }

  /** Calls every plugin's `onUnload` (each isolated, with a timeout) and forgets all plugins. */
  cleanup(): Promise<void> {
    return this.serialize(() => this.unloadAll());
  }

  /** The loaded plugins, in config order. */
  getLoadedPlugins(): LoadedPluginInfo[] {
    return this.plugins.map(describePlugin);
  }

  /** Plugins that failed to load since the last `reload`/`cleanup`. */
  getLoadErrors(): PluginLoadFailure[] {
    return [...this.loadFailures];
  }

  /**
   * Each plugin's `getHealth()` (with the hook timeout) plus load failures. The overall status is
   * `healthy` when every entry is healthy and `degraded` otherwise: plugins are isolated, so a broken
   * plugin never makes the gateway itself unhealthy.
   */
  getHealth(): Promise<PluginHealthReport> {
    return collectPluginHealth({
      plugins: this.plugins,
      loadFailures: this.loadFailures,
      timeoutMs: this.hookTimeoutMs,
    });
  }

  /** Whether an active plugin has a `beforeRouting` hook (which may change the request). */
  rewritesRequests(): boolean {
    return this.activePlugins('beforeRouting').length > 0;
  }

  /** Whether no active plugin has a routing hook (the router then skips the hooks). */
  isIdle(): boolean {
    return !this.plugins.some(
      loaded =>
        !loaded.disabled &&
        (typeof loaded.plugin.beforeRouting === 'function' ||
          typeof loaded.plugin.customRouter === 'function' ||
          typeof loaded.plugin.afterRouting === 'function'),
    );
  }

  /**
   * Chains `beforeRouting` in config order; each plugin receives the previous plugin's output.
   * A seed-shaped context (`model`, `message`, no `request`) gets a request built from those fields
   * (rebuilt when a plugin changes them), so every plugin sees `request`.
   */
  async beforeRouting(context: RoutingContext): Promise<RequestRoutingContext> {
    let current = toRequestContext(context);
    for (const loaded of this.activePlugins('beforeRouting')) {
      const draft: RequestRoutingContext = { ...current, metadata: { ...current.metadata } };
      const outcome = await this.callHook(loaded, 'beforeRouting', async () =>
        checkRoutingContext(await loaded.plugin.beforeRouting?.(draft), draft),
      );
      if (outcome.ok) current = toRequestContext(outcome.value);
    }
    return current;
  }

  /** Asks each `customRouter` in config order; the first non-null answer wins. */
  async customRoute(
    context: RoutingContext,
  ): Promise<{ pluginName: string; result: string | CustomRouteResult } | null> {
    const routed = toRequestContext(context);
    for (const loaded of this.activePlugins('customRouter')) {
      const outcome = await this.callHook(loaded, 'customRouter', async () =>
        checkCustomRoute(await loaded.plugin.customRouter?.(routed)),
      );
      if (outcome.ok && outcome.value !== null) {
        return { pluginName: loaded.name, result: outcome.value };
      }
    }
    return null;
  }

  /**
   * The seed plan's `customRouting`: like {@link customRoute}, answered as a full
   * {@link RoutingDecision} (reason `plugin:<name>` unless the plugin gave one), or null when no
   * plugin answered. A `provider,model` string that cannot be parsed counts as no answer.
   */
  async customRouting(context: RoutingContext): Promise<RoutingDecision | null> {
    const answer = await this.customRoute(context);
    if (!answer) return null;
    const decision = toPluginDecision(answer.pluginName, answer.result, context);
    if (!decision) {
      this.logger.warn(
        `plugin "${answer.pluginName}" customRouter answered "${String(answer.result)}", which is not "provider,model"; ignored`,
        { plugin: answer.pluginName },
      );
    }
    return decision;
  }

  /**
   * Chains `afterRouting` in config order; a partial answer is merged onto the decision. `context`
   * may be omitted (the seed plan's one-argument form); plugins then see an empty request.
   */
  async afterRouting(
    decision: RoutingDecision,
    context?: RoutingContext,
  ): Promise<RoutingDecision> {
    const routed = toRequestContext(context);
    let current = decision;
    for (const loaded of this.activePlugins('afterRouting')) {
      const draft: RoutingDecision = {
        ...current,
        fallbacks: [...(current.fallbacks ?? [])],
        metadata: { ...current.metadata },
      };
      const outcome = await this.callHook(loaded, 'afterRouting', async () =>
        checkRoutingDecision(await loaded.plugin.afterRouting?.(draft, routed), draft),
      );
      if (outcome.ok) current = outcome.value;
    }
    return current;
  }

  private activePlugins(hook: HookName): LoadedPlugin[] {
    return this.plugins.filter(
      loaded => !loaded.disabled && typeof loaded.plugin[hook] === 'function',
    );
  }

  private async callHook<T>(
    loaded: LoadedPlugin,
    hook: HookName,
    operation: () => Promise<T>,
  ): Promise<HookOutcome<T>> {
    try {
      const value = await runWithTimeout(operation, {
        timeoutMs: loaded.hookTimeoutMs,
        label: `plugin "${loaded.name}" ${hook}`,
      });
      loaded.consecutiveFailures = 0;
      return { ok: true, value };
    } catch (error) {
      if (PluginRejectionError.isInstance(error)) {
        this.logger.info(
          `plugin "${loaded.name}" rejected the request in ${hook}: ${error.message}`,
          {
            plugin: loaded.name,
            hook,
            statusCode: error.statusCode,
          },
        );
        throw error;
      }
      this.recordHookFailure(loaded, hook, error);
      return { ok: false };
    }
  }

  private recordHookFailure(loaded: LoadedPlugin, hook: HookName, error: unknown): void {
    loaded.consecutiveFailures += 1;
    const what =
      error instanceof MalformedHookResultError ? error.message : `failed: ${describeError(error)}`;
    loaded.lastFailure = `${hook} ${what}`;
    this.logger.warn(`plugin "${loaded.name}" ${hook} ${what}; skipped, routing continues`, {
      plugin: loaded.name,
      hook,
      consecutiveFailures: loaded.consecutiveFailures,
    });
    if (loaded.consecutiveFailures >= this.maxConsecutiveFailures) {
      loaded.disabled = true;
      this.logger.error(
        `plugin "${loaded.name}" disabled after ${loaded.consecutiveFailures} consecutive hook failures; it stays off until the next reload`,
        { plugin: loaded.name },
      );
    }
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(operation, operation);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async loadAll(
    entries: readonly (PluginEntry | Record<string, unknown>)[],
    { fresh }: { fresh: boolean },
  ): Promise<PluginLoadReport> {
    if (!Array.isArray(entries)) {
      throw new ConfigError({
        issues: [
          {
            path: 'plugins',
            message: 'loadPlugins expects an array of plugin entries (config.plugins).',
          },
        ],
      });
    }
    this.generation += 1;
    const report: PluginLoadReport = { loaded: [], skipped: [], failed: [] };
    const allEntries: readonly unknown[] = this.withCustomRouter(entries);
    for (const [index, rawEntry] of allEntries.entries()) {
      let entry: NormalizedPluginEntry | undefined;
      try {
        entry = normalizePluginEntry(rawEntry, { index, isBuiltinName: isBuiltinPluginName });
        if (!entry.enabled) {
          report.skipped.push({ name: entry.name, reason: 'disabled' });
          this.logger.info(`plugin "${entry.name}" is disabled; skipped`, { plugin: entry.name });
          continue;
        }
        const { name } = entry;
        if (this.plugins.some(loaded => loaded.name === name)) {
          throw new PluginLoadError({
            pluginName: name,
            stage: 'config',
            message:
              'another plugin with this name is already loaded; give each entry a unique "name".',
          });
        }
        const loaded = await loadPlugin(entry, {
          logger: this.logger,
          baseDir: this.baseDir,
          resolvePaths: this.resolvePaths,
          conduitConfig: this.conduitConfig,
          hookTimeoutMs: this.hookTimeoutMs,
          loadTimeoutMs: this.loadTimeoutMs,
          fresh,
          generation: this.generation,
        });
        this.plugins = [...this.plugins, loaded];
        report.loaded.push(describePlugin(loaded));
        this.logger.info(`plugin "${loaded.name}" loaded (${describeOrigin(entry)})`, {
          plugin: loaded.name,
          source: entry.source,
          version: loaded.plugin.version,
        });
      } catch (error) {
        const failure = toLoadFailure(error, entry, index);
        report.failed.push(failure);
        this.loadFailures = [...this.loadFailures, failure];
        this.logger.error(`${failure.error.message}; routing continues without it`, {
          plugin: failure.name,
          stage: failure.stage,
          ...(failure.issues.length > 0 ? { issues: failure.issues } : {}),
        });
      }
    }
    return report;
  }

  private withCustomRouter(entries: readonly unknown[]): readonly unknown[] {
    if (!this.customRouterPath) return entries;
    const hasOne = entries.some(
      entry => (entry as { name?: unknown } | null)?.name === CUSTOM_ROUTER_PLUGIN_NAME,
    );
    return hasOne ? entries : [createCustomRouterEntry(this.customRouterPath), ...entries];
  }

  private async unloadAll(): Promise<void> {
    const plugins = [...this.plugins].reverse();
    this.plugins = [];
    this.loadFailures = [];
    for (const loaded of plugins) {
      if (!loaded.plugin.onUnload) continue;
      try {
        await runWithTimeout(() => loaded.plugin.onUnload?.(), {
          timeoutMs: this.loadTimeoutMs,
          label: `plugin "${loaded.name}" onUnload`,
        });
      } catch (error) {
        this.logger.warn(`plugin "${loaded.name}" onUnload failed: ${describeError(error)}`, {
          plugin: loaded.name,
        });
      }
    }
  }
}

function describePlugin(loaded: LoadedPlugin): LoadedPluginInfo {
  const { plugin } = loaded;
  return {
    name: loaded.name,
    source: loaded.source,
    version: plugin.version,
    description: plugin.description,
    hooks: (
      ['beforeRouting', 'customRouter', 'afterRouting', 'getHealth', 'onLoad', 'onUnload'] as const
    ).filter(hook => typeof plugin[hook] === 'function'),
    disabled: loaded.disabled,
    plugin,
  };
}

function describeOrigin(entry: NormalizedPluginEntry): string {
  return entry.source === 'inline' ? 'inline' : `${entry.source}: ${entry.specifier}`;
}

function toLoadFailure(
  error: unknown,
  entry: NormalizedPluginEntry | undefined,
  index: number,
): PluginLoadFailure {
  const name = entry?.name ?? `plugins[${index}]`;
  const loadError = asLoadError(error, name, 'config');
  return {
    name: loadError.pluginName,
    source: entry?.source,
    stage: loadError.stage,
    message: loadError.message,
    issues: loadError.issues,
    error: loadError,
  };
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
