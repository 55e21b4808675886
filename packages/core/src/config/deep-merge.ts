import { isPlainObject } from './interpolate-env.js';

/**
 * Merges `patch` into `base` without mutating either: plain objects merge recursively, everything
 * else (arrays included) is replaced. A key set to `undefined` in `patch` removes it.
 */
export function deepMerge<T extends Record<string, unknown>>(
  base: T,
  patch: Record<string, unknown>,
): T {
  const result: Record<string, unknown> = { ...base };
  for (const [key, patchValue] of Object.entries(patch)) {
    if (patchValue === undefined) {
      delete result[key];
      continue;
    }
    const baseValue = result[key];
    result[key] =
      isPlainObject(baseValue) && isPlainObject(patchValue)
        ? deepMerge(baseValue, patchValue)
        : patchValue;
  }
  return result as T;
}
