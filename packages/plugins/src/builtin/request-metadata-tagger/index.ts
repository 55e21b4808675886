/**
 * `request-metadata-tagger`: copies request headers and Claude Code's own markers into
 * `context.metadata`, so `Router.customRules` (`field: "metadata.<key>"`) and later plugins can
 * match on them.
 * @module
 */
import type { ConduitPlugin, RequestRoutingContext } from '@conduit/core';
import { isRecord } from '../../loading/normalize-plugin-entry.js';
import { readClaudeCodeMarkers } from './read-claude-code-markers.js';

/** Settings of `request-metadata-tagger`. */
export interface RequestMetadataTaggerConfig {
  /** Header name → metadata key, e.g. `{ "x-conduit-tenant": "tenant" }`. Header names are case-insensitive. */
  headers?: Record<string, string>;
  /**
   * Add Claude Code markers: `sessionId`, `agentId` (`x-claude-code-agent-id`), `isSubagent`
   * (billing block `cc_is_subagent=true`), `claudeCodeEntrypoint`, `claudeCodeVersion`. Default true.
   */
  claudeCode?: boolean;
  /** Fixed tags added to every request, e.g. `{ "deployment": "eu" }`. */
  static?: Record<string, string | number | boolean>;
  /** Replace keys an earlier plugin or the server already set. Default false. */
  overwrite?: boolean;
  /** Header values longer than this are cut. Default 256. */
  maxValueLength?: number;
}

const reservedKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Creates the tagger. Invalid settings are reported by its `validateConfig` (so the manager refuses
 * to load it with a clear reason) rather than thrown here.
 *
 * @example
 * ```json
 * { "name": "request-metadata-tagger", "config": { "headers": { "x-conduit-tenant": "tenant" } } }
 * ```
 */
export function createRequestMetadataTaggerPlugin(
  rawConfig: Record<string, unknown>,
): ConduitPlugin {
  const issues = validateTaggerConfig(rawConfig);
  const config = rawConfig as RequestMetadataTaggerConfig;
  const headerMap = Object.entries(config.headers ?? {}).map(
    ([header, key]) => [header.toLowerCase(), key] as const,
  );
  const maxValueLength = config.maxValueLength ?? 256;
  return {
    name: 'request-metadata-tagger',
    description: 'Adds metadata.* from request headers and Claude Code markers for custom rules',
    validateConfig: () => (issues.length > 0 ? issues : true),
    beforeRouting(context: RequestRoutingContext): RequestRoutingContext {
      const tags: Record<string, unknown> = { ...config.static };
      for (const [header, key] of headerMap) {
        const value = context.headers?.[header];
        if (value !== undefined && value !== '') tags[key] = value.slice(0, maxValueLength);
      }
      let sessionId = context.sessionId;
      if (config.claudeCode !== false) {
        const markers = readClaudeCodeMarkers(context);
        sessionId ??= markers.sessionId;
        Object.assign(
          tags,
          definedOnly({
            sessionId: markers.sessionId,
            agentId: markers.agentId,
            isSubagent: markers.isSubagent,
            claudeCodeEntrypoint: markers.entrypoint,
            claudeCodeVersion: markers.version,
          }),
        );
      }
      const existing = context.metadata ?? {};
      const metadata = config.overwrite ? { ...existing, ...tags } : { ...tags, ...existing };
      return { ...context, metadata, ...(sessionId ? { sessionId } : {}) };
    },
  };
}

function validateTaggerConfig(config: Record<string, unknown>): string[] {
  const issues: string[] = [];
  const known = ['headers', 'claudeCode', 'static', 'overwrite', 'maxValueLength'];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) issues.push(`unknown setting "${key}" (known: ${known.join(', ')})`);
  }
  if (config.headers !== undefined) {
    if (!isRecord(config.headers)) {
      issues.push(
        '"headers" must map header names to metadata keys, e.g. { "x-conduit-tenant": "tenant" }',
      );
    } else {
      for (const [header, key] of Object.entries(config.headers)) {
        if (!/^[!#$%&'*+.^`|~\w-]+$/.test(header))
          issues.push(`"${header}" is not a valid header name`);
        if (typeof key !== 'string' || key.trim() === '' || reservedKeys.has(key)) {
          issues.push(`headers["${header}"] must be a metadata key name (a non-empty string)`);
        }
      }
    }
  }
  if (config.static !== undefined) {
    if (!isRecord(config.static)) {
      issues.push('"static" must be an object of tags');
    } else {
      for (const [key, value] of Object.entries(config.static)) {
        if (reservedKeys.has(key)) issues.push(`"static" may not use the key "${key}"`);
        if (!['string', 'number', 'boolean'].includes(typeof value)) {
          issues.push(`static["${key}"] must be a string, number or boolean`);
        }
      }
    }
  }
  for (const flag of ['claudeCode', 'overwrite'] as const) {
    if (config[flag] !== undefined && typeof config[flag] !== 'boolean') {
      issues.push(`"${flag}" must be true or false`);
    }
  }
  const { maxValueLength } = config;
  if (
    maxValueLength !== undefined &&
    !(Number.isInteger(maxValueLength) && (maxValueLength as number) > 0)
  ) {
    issues.push('"maxValueLength" must be a positive integer');
  }
  return issues;
}

function definedOnly(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
