import type { ParsedConduitConfig, Logger } from '@conduit/core';

const redacted = '[redacted]';
/** Shorter values are not treated as secrets (they would redact ordinary words). */
const minimumSecretLength = 8;

/** Every secret a config holds: provider keys and the inbound `APIKEY`. */
export function collectSecrets(config: ParsedConduitConfig): string[] {
  const secrets = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim().length >= minimumSecretLength) {
      secrets.add(value.trim());
    }
  };
  add(config.APIKEY);
  for (const provider of config.Providers) {
    add(provider.api_key);
    for (const key of provider.api_keys ?? []) add(key);
  }
  // Longest first, so a key that contains another is replaced whole.
  return [...secrets].sort((left, right) => right.length - left.length);
}

/** `text` with every secret replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(redacted);
  }
  return result;
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
  const wrap =
    (level: keyof Logger) =>
    (message: string, details?: Record<string, unknown>): void => {
      const secrets = getSecrets();
      if (secrets.length === 0) {
        logger[level](message, details);
        return;
      }
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
  };
}
