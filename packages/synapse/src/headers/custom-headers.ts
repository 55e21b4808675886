/**
 * Forwarding the Synapse context from `conduit code` to the server through Claude Code's
 * `ANTHROPIC_CUSTOM_HEADERS` (newline-separated `Name: Value` lines, sent verbatim on every
 * request).
 * @module
 */
import { ConduitError } from '@conduit/core';
import {
  ContextExtractor,
  type EnvironmentVariables,
  synapseHeaderNames,
} from '../context/context-extractor.js';
import type { SynapseContext } from '../context/synapse-context.js';

/**
 * The `x-synapse-*` headers for the `SYNAPSE_*` variables in `env` (validated first, JSON values
 * re-serialised on one line). Empty when no variable is set.
 * @throws SynapseContextError for a malformed variable (naming it).
 * @example
 * synapseHeadersFromEnv({ SYNAPSE_PROJECT_ID: 'web', SYNAPSE_COST_LIMITS: '{ "daily": 5 }' });
 * // { 'x-synapse-project-id': 'web', 'x-synapse-cost-limits': '{"daily":5}' }
 */
export function synapseHeadersFromEnv(env: EnvironmentVariables): Record<string, string> {
  return synapseHeadersFromContext(ContextExtractor.fromEnv(env));
}

/** The `x-synapse-*` headers carrying a context. */
export function synapseHeadersFromContext(context: SynapseContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [field, name] of Object.entries(synapseHeaderNames) as [
    keyof SynapseContext,
    string,
  ][]) {
    const value = context[field];
    if (value === undefined) continue;
    headers[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return headers;
}

/**
 * Renders headers as `ANTHROPIC_CUSTOM_HEADERS` text: one `Name: Value` per line.
 * @throws ConduitError (`CustomHeaderError`) for a name that is not an HTTP token or a value with
 * a line break or a character outside printable ASCII (Claude Code could not send it).
 * @example
 * formatCustomHeaders({ 'x-synapse-project-id': 'web' }); // "x-synapse-project-id: web"
 */
export function formatCustomHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw customHeaderError(`"${name}" is not a valid header name.`);
      }
      if (!/^[\x20-\x7e\t]*$/.test(value)) {
        throw customHeaderError(
          `The value of ${name} has a line break or a non-ASCII character; ANTHROPIC_CUSTOM_HEADERS can only carry printable ASCII.`,
        );
      }
      return `${name}: ${value.trim()}`;
    })
    .join('\n');
}

/**
 * Parses `ANTHROPIC_CUSTOM_HEADERS` text (as Claude Code does: one `Name: Value` per line, blank
 * lines and lines without a colon skipped), e.g. to merge a user's own headers with Synapse's.
 */
export function parseCustomHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of (text ?? '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (name) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * `ANTHROPIC_CUSTOM_HEADERS` for `claude`: the user's existing custom headers with the Synapse
 * headers from `env` added (Synapse's win on a clash, compared case-insensitively).
 */
export function mergeSynapseCustomHeaders(env: EnvironmentVariables): string | undefined {
  const synapse = synapseHeadersFromEnv(env);
  const existing = parseCustomHeaders(env.ANTHROPIC_CUSTOM_HEADERS);
  const synapseNames = new Set(Object.keys(synapse));
  const kept = Object.fromEntries(
    Object.entries(existing).filter(([name]) => !synapseNames.has(name.toLowerCase())),
  );
  const merged = { ...kept, ...synapse };
  return Object.keys(merged).length === 0 ? undefined : formatCustomHeaders(merged);
}

function customHeaderError(message: string): ConduitError {
  return new ConduitError({ name: 'CustomHeaderError', message });
}
