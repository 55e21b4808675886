import type { PluginConfigValidation } from '@conduit/core';
import { describeValue } from './instantiate-plugin.js';

/**
 * Reads a `validateConfig` answer. Accepts `true`, `{ valid: true }` and an empty list; rejects
 * `false`, a string (the reason), a non-empty list of strings, or `{ valid: false, errors }`.
 * Returns the reasons for a rejection, or an empty array when the config is accepted.
 */
export function interpretValidation(result: PluginConfigValidation | unknown): string[] {
  if (result === true || result === undefined) return [];
  if (result === false) return ['validateConfig returned false'];
  if (typeof result === 'string') return [result || 'validateConfig returned an empty reason'];
  if (Array.isArray(result)) return result.map(String);
  if (typeof result === 'object' && result !== null && 'valid' in result) {
    const { valid, errors } = result as { valid: unknown; errors?: unknown };
    if (valid === true) return [];
    const reasons = Array.isArray(errors) ? errors.map(String) : [];
    return reasons.length > 0 ? reasons : ['validateConfig returned { valid: false }'];
  }
  return [
    `validateConfig returned ${describeValue(result)}, expected true, false, a string or a list`,
  ];
}
