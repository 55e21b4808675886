/**
 * Conduit's one secret redactor, used by the server (logs, error bodies) and the CLI (config
 * dumps, log details, error text): the secret values a config holds, whatever their length, plus
 * the shapes of well-known credentials.
 * @module
 */
import type { ParsedConduitConfig } from '../config/config-schema.js';
import type { Logger } from '../types/logger.js';

/** What a redacted secret is replaced with. */
export const redactedText = '[redacted]';
const redacted = redactedText;
/**
 * Secrets shorter than this are replaced only where they stand alone (not inside a longer word),
 * so a short placeholder key ("x", "ollama") is still hidden without mangling every log line.
 */
const shortSecretLength = 8;

/**
 * Shapes of well-known credentials, redacted even when they are not in the config (a key echoed by
 * an upstream, a token in a plugin's error): OpenAI/Anthropic `sk-…`, Google `AIza…`, GitHub
 * `ghp_…`, Slack `xox…-`, AWS `AKIA…`, and the token after `Bearer`/`Basic`.
 */
const keyPatterns =
  /\b(?:sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}\b)|(?<=\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/g;

/** Credentials inside a URL: `scheme://user:password@host`. */
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

/**
 * Every secret a config holds, whatever its length: provider keys (`api_key`, `api_keys`), provider
 * `headers` values (and the token after `Bearer `), the credentials inside `PROXY_URL`, and the
 * inbound `APIKEY`. Longest first, so a key that contains another is replaced whole.
 */
export function collectSecrets(config: ParsedConduitConfig): string[] {
  const secrets = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    if (trimmed.length === 0) return;
    secrets.add(trimmed);
    const bearer = /^bearer\s+(.+)$/i.exec(trimmed);
    if (bearer) secrets.add(bearer[1]!.trim());
  };
  add(config.APIKEY);
  for (const provider of config.Providers) {
    add(provider.api_key);
    for (const key of provider.api_keys ?? []) add(key);
    for (const value of Object.values(provider.headers ?? {})) add(value);
  }
  for (const proxy of [config.PROXY_URL, process.env.PROXY_URL]) {
    for (const credential of proxyCredentials(proxy)) add(credential);
  }
  return [...secrets].sort((left, right) => right.length - left.length);
}

/** `user:password`, `password` (and `user` when there is no password) of a proxy URL. */
function proxyCredentials(proxyURL: string | undefined): string[] {
  if (!proxyURL) return [];
  try {
    const url = new URL(proxyURL);
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    if (password) return [`${url.username}:${url.password}`, `${user}:${password}`, password];
    return user ? [user] : [];
  } catch {
    return [];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` with every given secret, every well-known key shape and the credentials of every URL
 * replaced by `[redacted]`.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (!result.includes(secret)) continue;
    result =
      secret.length >= shortSecretLength
        ? result.split(secret).join(redacted)
        : result.replace(
            new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(secret)}(?![A-Za-z0-9_-])`, 'g'),
            redacted,
          );
  }
  return result.replace(urlCredentials, `$1${redacted}@`).replace(keyPatterns, redacted);
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message, secrets),
      ...(value.stack ? { stack: redactText(value.stack, secrets) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map(item => redactValue(item, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets, depth + 1)]),
  );
}

/**
 * Wraps a logger so that no configured secret reaches it, whatever a component logs (an upstream
 * error body echoing a key, a URL with a key in its query). Defence in depth: loggers are also
 * expected to redact `authorization`/`x-api-key` fields themselves.
 */
export function createRedactingLogger(logger: Logger, getSecrets: () => readonly string[]): Logger {
  const isLevelEnabled = (level: LogLevel): boolean => logger.isLevelEnabled?.(level) ?? true;
  const wrap =
    (level: LogLevel) =>
    (message: string, details?: Record<string, unknown>): void => {
      // A dropped message is not redacted first (the router logs every decision at debug).
      if (!isLevelEnabled(level)) return;
      const secrets = getSecrets();
      logger[level](
        redactText(message, secrets),
        details === undefined
          ? undefined
          : (redactValue(details, secrets, 0) as Record<string, unknown>),
      );
    };
  return {
    trace: wrap('trace'),
    debug: wrap('debug'),
    info: wrap('info'),
    warn: wrap('warn'),
    error: wrap('error'),
    isLevelEnabled,
  };
}

type LogLevel = Parameters<NonNullable<Logger['isLevelEnabled']>>[0];

/** Property names whose values are secrets: api_key(s), APIKEY, anything named *key*, *token*, … */
const secretKeyPattern = /key|token|secret|password|passwd|authorization|credential|cookie/i;

/** `true` when a property with this name holds a secret. */
export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key);
}

/**
 * A deep copy of `value` (a config, log details) for printing: every property whose name looks
 * secret ({@link isSecretKey}) is `[redacted]` (empty values stay visible, so "no key set" shows),
 * every string is scrubbed with {@link redactText}, errors become `{ name, message }`.
 */
export function redactSecretValues<T>(value: T, secrets: readonly string[] = []): T {
  return redactNamed(value, secrets, new WeakSet()) as T;
}

function redactNamed(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map(item => redactNamed(item, secrets, seen));
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, secrets) };
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key) && item !== '' && item !== null && item !== undefined) {
      result[key] = Array.isArray(item) ? item.map(() => redacted) : redacted;
    } else {
      result[key] = redactNamed(item, secrets, seen);
    }
  }
  return result;
}

/** A value that only names an environment variable (`$KEY`, `${KEY}`): not a secret itself. */
const envReference = /^\$(?:\{[^}]+\}|[A-Z_][A-Z0-9_]*)$/;

/**
 * Like {@link redactSecretValues}, but keeps `$VAR` references visible: what
 * `config migrate --dry-run` prints, so the user sees where each key comes from without the
 * literal keys.
 */
export function redactLiteralSecrets<T>(value: T): T {
  const redactLiteral = (item: unknown): unknown =>
    typeof item === 'string' && item !== '' && !envReference.test(item) ? redacted : item;
  return JSON.parse(
    JSON.stringify(value, (key, item: unknown) => {
      if (isSecretKey(key))
        return Array.isArray(item) ? item.map(redactLiteral) : redactLiteral(item);
      return typeof item === 'string' ? redactText(item) : item;
    }),
  ) as T;
}
