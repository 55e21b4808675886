/**
 * Secret redaction for everything the CLI prints or logs: config dumps, log details, error text.
 * @module
 */

/** Replacement text for a secret value. */
export const redactedText = '[redacted]';

/** Keys whose values are secrets: api_key(s), APIKEY, anything named *key*, *token*, *secret*, … */
const secretKeyPattern = /key|token|secret|password|passwd|authorization|credential|cookie/i;

/** `true` when a property with this name holds a secret. */
export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

const secretTextPatterns: Array<[RegExp, string]> = [
  // Credentials in URLs: scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${redactedText}@`],
  // Authorization header values
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${redactedText}`],
  // Well-known key shapes (Anthropic, OpenAI, Google, GitHub, Slack, AWS)
  [/\bsk-[A-Za-z0-9_-]{8,}/g, redactedText],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, redactedText],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, redactedText],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, redactedText],
  [/\bAKIA[0-9A-Z]{16}\b/g, redactedText],
];

/** Removes secrets that appear inside free text (URLs with credentials, bearer tokens, key shapes). */
export function redactSecretText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of secretTextPatterns)
    result = result.replace(pattern, replacement);
  return result;
}

/**
 * Returns a deep copy of `value` where every property whose name looks secret is replaced by
 * `[redacted]` (empty strings are left empty, so "no key set" stays visible) and every string is
 * scrubbed with {@link redactSecretText}.
 */
export function redactSecrets<T>(value: T): T {
  return redactValue(value, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecretText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map(item => redactValue(item, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactSecretText(value.message) };
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key) && item !== '' && item !== null && item !== undefined) {
      result[key] = Array.isArray(item) ? item.map(() => redactedText) : redactedText;
    } else {
      result[key] = redactValue(item, seen);
    }
  }
  return result;
}

/** A value that only names an environment variable (`$KEY`, `${KEY}`): not a secret itself. */
const envReference = /^\$(?:\{[^}]+\}|[A-Z_][A-Z0-9_]*)$/;

/**
 * Like {@link redactSecrets}, but keeps `$VAR` references visible: what `config migrate --dry-run`
 * prints, so the user sees where each key comes from without the literal keys.
 */
export function redactLiteralSecrets<T>(value: T): T {
  const redactLiteral = (item: unknown): unknown =>
    typeof item === 'string' && item !== '' && !envReference.test(item) ? redactedText : item;
  return JSON.parse(
    JSON.stringify(value, (key, item: unknown) => {
      if (isSecretKey(key))
        return Array.isArray(item) ? item.map(redactLiteral) : redactLiteral(item);
      return typeof item === 'string' ? redactSecretText(item) : item;
    }),
  ) as T;
}
