/**
 * `$VAR` / `${VAR}` interpolation, exactly as claude-code-router's `interpolateEnvVars`: the braced form
 * takes any name, the bare form only upper-case names (`$HOME` yes, `$home` no), and a variable that
 * is not set is left in place literally so the mistake stays visible.
 */
const variablePattern = /\$\{([^}]+)\}|\$([A-Z_][A-Z0-9_]*)/g;

/**
 * Recursively interpolates every string inside `value` (arrays and plain objects are copied; keys are
 * not interpolated; other values are returned as they are).
 *
 * @example
 * interpolateEnv({ api_key: '$DEEPSEEK_API_KEY' }, { DEEPSEEK_API_KEY: 'sk-1' }); // { api_key: 'sk-1' }
 */
export function interpolateEnv<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  return interpolateValue(value, env) as T;
}

function interpolateValue(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return interpolateString(value, env);
  if (Array.isArray(value)) return value.map(item => interpolateValue(item, env));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = interpolateValue(item, env);
    return result;
  }
  return value;
}

function interpolateString(text: string, env: NodeJS.ProcessEnv): string {
  if (!text.includes('$')) return text;
  return text.replace(
    variablePattern,
    (match, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      const replacement = env[name];
      return replacement === undefined ? match : replacement;
    },
  );
}

/** Finds `$VAR`/`${VAR}` references still present in a string (after interpolation: the unset ones). */
export function findEnvReferences(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(variablePattern)) names.push(match[1] ?? match[2] ?? '');
  return names;
}

/** True for `{}`-style objects (not arrays, class instances, dates or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
