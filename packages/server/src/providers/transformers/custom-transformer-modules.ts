import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '@conduit/core';
import { isPlainObject } from './ccr/transformer-options.js';
import type { TransformerRegistry } from './transformer-registry.js';
import type {
  TransformerContext,
  TransformerDefinition,
  TransformerInstance,
} from './transformer-types.js';

/** One entry of CCR's top-level `transformers` list. */
export interface CustomTransformerEntry {
  path: string;
  options?: Record<string, unknown>;
}

/** The instance shape of a CCR custom transformer module (`new (options)`). */
interface CCRTransformer {
  name?: unknown;
  endPoint?: unknown;
  logger?: unknown;
  transformRequestIn?(request: unknown, provider: unknown, context: unknown): unknown;
  transformResponseOut?(response: Response, context: unknown): unknown;
}

type CCRTransformerClass = new (options?: Record<string, unknown>) => CCRTransformer;

const pluginHint =
  'Conduit serves only the Anthropic Messages API, so inbound endpoints cannot be added by a transformer; ' +
  'write a Conduit plugin instead (see @conduit/plugins: beforeRouting/afterRouting hooks and request wrapping), ' +
  'or remove the module from "transformers".';

/** A pino-shaped logger that drops everything (CCR injects one; Conduit keeps modules quiet). */
const quietLogger = Object.freeze({
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
  child: () => quietLogger,
});

/** `~/x`, relative (to `baseDirectory`, default the working directory) or absolute → absolute. */
export function resolveTransformerPath(path: string, baseDirectory = process.cwd()): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDirectory, path);
}

function loadClass(absolutePath: string): CCRTransformerClass {
  const required: unknown = createRequire(absolutePath)(absolutePath);
  const candidate =
    typeof required === 'function' ? required : (required as { default?: unknown } | null)?.default;
  if (typeof candidate !== 'function') {
    throw new Error('the module does not export a class (module.exports = class { ... })');
  }
  return candidate as CCRTransformerClass;
}

function ccrProvider(context: TransformerContext) {
  return {
    name: context.provider.name,
    baseUrl: context.provider.api_base_url,
    apiKey: context.apiKey,
    models: context.provider.models,
    transformer: context.provider.transformer,
  };
}

function ccrContext(context: TransformerContext) {
  return { req: { body: context.request, model: context.model } };
}

/** Applies CCR's `{body, config: {url, headers}}` answer to the upstream target. */
function applyRequestConfig(config: unknown, context: TransformerContext): void {
  if (!isPlainObject(config) || !context.upstream) return;
  if (typeof config.url === 'string' || config.url instanceof URL)
    context.upstream.url = String(config.url);
  const headers = config.headers;
  if (headers instanceof Headers)
    for (const [name, value] of headers) context.upstream.headers.set(name, value);
  else if (isPlainObject(headers)) {
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || value === null) context.upstream.headers.delete(name);
      else context.upstream.headers.set(name, String(value));
    }
  }
}

/** Maps a CCR instance onto Conduit's hooks (request body, JSON response, raw stream). */
function wrapInstance(name: string, instance: CCRTransformer): TransformerInstance {
  const wrapped: TransformerInstance = { name };
  if (typeof instance.transformRequestIn === 'function') {
    wrapped.transformRequestBody = async (body, context) => {
      const result: unknown = await instance.transformRequestIn!(
        body,
        ccrProvider(context),
        ccrContext(context),
      );
      if (!isPlainObject(result)) return body;
      if (isPlainObject(result.body) && ('config' in result || Object.keys(result).length === 1)) {
        applyRequestConfig(result.config, context);
        return result.body;
      }
      return result;
    };
  }
  if (typeof instance.transformResponseOut === 'function') {
    wrapped.transformResponseBody = async (body, context) => {
      const response = new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      });
      const output = (await instance.transformResponseOut!(response, ccrContext(context))) as
        | Response
        | undefined;
      if (!output || typeof output.json !== 'function') return body;
      return (await output.json()) as Record<string, unknown>;
    };
    wrapped.transformResponseStream = async (stream, context) => {
      const response = new Response(stream, { headers: { 'content-type': 'text/event-stream' } });
      const output = (await instance.transformResponseOut!(response, ccrContext(context))) as
        | Response
        | undefined;
      return output?.body ?? stream;
    };
  }
  return wrapped;
}

/**
 * Loads CCR custom transformer modules (the top-level `transformers: [{path, options}]`). Each is a
 * CommonJS class instantiated with its options; its `name` is registered (overriding a built-in of
 * that name, as in CCR) so `transformer.use` can reference it. What maps onto Conduit's pipeline:
 * `transformRequestIn(request, provider, context)` on the translated upstream body (returning the
 * body, or CCR's `{body, config: {url, headers}}`), and `transformResponseOut(response, context)` on
 * JSON answers and on the raw upstream event stream. A module declaring `endPoint` (CCR's inbound
 * endpoints, with `transformRequestOut`/`transformResponseIn`/`auth`) cannot run in Conduit and is
 * refused with an issue that points to plugins; so is a module that fails to load or has no name.
 */
export function loadCustomTransformers(
  entries: readonly CustomTransformerEntry[],
  options: { baseDirectory?: string } = {},
): { definitions: TransformerDefinition[]; issues: ConfigIssue[] } {
  const definitions: TransformerDefinition[] = [];
  const issues: ConfigIssue[] = [];
  for (const [index, entry] of entries.entries()) {
    const path = `transformers[${index}]`;
    const absolutePath = resolveTransformerPath(entry.path, options.baseDirectory);
    let TransformerClass: CCRTransformerClass;
    let instance: CCRTransformer;
    try {
      TransformerClass = loadClass(absolutePath);
      instance = new TransformerClass(entry.options ?? {});
    } catch (error) {
      issues.push({
        path,
        message: `could not load custom transformer ${absolutePath}: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'check the path and that the file is a CommonJS module exporting a transformer class.',
      });
      continue;
    }
    const name = instance.name;
    if (typeof name !== 'string' || name.length === 0) {
      issues.push({
        path,
        message: `custom transformer ${absolutePath} has no "name" property.`,
        hint: 'give the class a name field (e.g. `name = "my-transformer"`); transformer.use refers to it.',
      });
      continue;
    }
    if (instance.endPoint !== undefined && instance.endPoint !== null && instance.endPoint !== '') {
      issues.push({
        path,
        message: `custom transformer "${name}" (${absolutePath}) declares endPoint "${String(instance.endPoint)}", which Conduit does not support.`,
        hint: pluginHint,
      });
      continue;
    }
    if (
      typeof instance.transformRequestIn !== 'function' &&
      typeof instance.transformResponseOut !== 'function'
    ) {
      issues.push({
        path,
        message: `custom transformer "${name}" (${absolutePath}) has neither transformRequestIn nor transformResponseOut, so it would do nothing.`,
        hint: 'implement one of them, or remove the module from "transformers".',
      });
      continue;
    }
    instance.logger ??= quietLogger;
    const moduleOptions = entry.options ?? {};
    definitions.push({
      name,
      description: `Custom transformer module ${absolutePath}.`,
      create: useOptions => {
        if (Object.keys(useOptions).length === 0) return wrapInstance(name, instance);
        // Options given in `use` make a dedicated instance (CCR would ignore them).
        const dedicated = new TransformerClass({ ...moduleOptions, ...useOptions });
        dedicated.logger ??= quietLogger;
        return wrapInstance(name, dedicated);
      },
    });
  }
  return { definitions, issues };
}

/**
 * `registry` plus the custom modules `config.transformers` lists (modules that fail to load are
 * left out: config validation reports them).
 */
export function extendRegistryWithCustomTransformers(
  registry: TransformerRegistry,
  config: { transformers?: readonly CustomTransformerEntry[] },
): TransformerRegistry {
  const entries = config.transformers ?? [];
  if (entries.length === 0) return registry;
  return registry.extend(loadCustomTransformers(entries).definitions);
}
