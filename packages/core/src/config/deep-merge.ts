import { isPlainObject } from './interpolate-env.js';

/**
 * Keys that would reach an object's prototype when merged or assigned (`result["__proto__"] = …`
 * replaces the prototype): a config holding one is refused, see {@link findPrototypeKeys}.
 */
const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Paths (`Providers[0].__proto__`) of `__proto__`, `constructor` and `prototype` keys anywhere in
 * `value`. Iterative, so a deeply nested config cannot overflow the stack.
 */
export function findPrototypeKeys(value: unknown): string[] {
  const found: string[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (Array.isArray(current)) {
      current.forEach((item, index) => {
        pending.push({ value: item, path: `${path}[${index}]` });
      });
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        const keyPath = path ? `${path}.${key}` : key;
        if (prototypeKeys.has(key)) found.push(keyPath);
        else pending.push({ value: (current as Record<string, unknown>)[key], path: keyPath });
      }
    }
  }
  return found;
}

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
    if (prototypeKeys.has(key)) continue;
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
