/**
 * Keeps provider keys out of the browser: every secret of the config file (literal values of
 * key-like fields and of provider headers, plus the running config's resolved keys) is replaced by a
 * placeholder `[redacted:<tag>]` before text leaves the server, and put back when an edit is
 * saved. `$VAR` references are not secrets and stay as written. Tags are an HMAC under a key that
 * lives only in this process, so they identify a secret without revealing anything about it.
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto';

const secretKeyPattern = /(^|_)(api_?keys?|apikey|authorization|token|secret|password)$/i;
const envReferencePattern = /^\$(\{[^}]+\}|[A-Z_][A-Z0-9_]*)$/;
const placeholderPattern = /\[redacted:([0-9a-f]{12})\]/g;
/** Shorter values are not treated as secrets (they would redact ordinary words). */
const minimumSecretLength = 6;

function addSecret(secrets: Set<string>, value: unknown): void {
  if (typeof value !== 'string') return;
  const trimmed = value.trim();
  if (trimmed.length < minimumSecretLength || envReferencePattern.test(trimmed)) return;
  secrets.add(trimmed);
}

function collect(
  value: unknown,
  secrets: Set<string>,
  context: { secret: boolean; provider: boolean },
  depth: number,
): void {
  if (depth > 12) return;
  if (typeof value === 'string') {
    if (context.secret) addSecret(secrets, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, secrets, context, depth + 1);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // A provider's header values may all carry credentials (Authorization, vendor key headers).
      const secret =
        context.secret ||
        secretKeyPattern.test(key) ||
        (context.provider && key.toLowerCase() === 'headers');
      const provider = depth === 0 && /^providers$/i.test(key);
      collect(item, secrets, { secret, provider: provider || context.provider }, depth + 1);
    }
  }
}

/** The secrets of a raw config object and of extra values (the running config's resolved keys). */
export function findSecrets(raw: unknown, extra: readonly unknown[] = []): string[] {
  const secrets = new Set<string>();
  collect(raw, secrets, { secret: false, provider: false }, 0);
  for (const value of extra) addSecret(secrets, value);
  // Longest first, so a secret containing another is replaced whole.
  return [...secrets].sort((left, right) => right.length - left.length);
}

/** Placeholders for one process's secrets. */
export class SecretRedactor {
  /** Drawn on first use: the gateway creates a redactor as it starts, and a key loads crypto. */
  private key: Buffer | undefined;

  placeholderFor(secret: string): string {
    this.key ??= randomBytes(32);
    return `[redacted:${createHmac('sha256', this.key).update(secret).digest('hex').slice(0, 12)}]`;
  }

  /** `text` with every secret (as written, or JSON-escaped) replaced by its placeholder. */
  redactText(text: string, secrets: readonly string[]): string {
    let result = text;
    for (const secret of secrets) {
      const placeholder = this.placeholderFor(secret);
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        if (result.includes(form)) result = result.split(form).join(placeholder);
      }
    }
    return result;
  }

  /** A deep copy of `value` with every secret in every string replaced. */
  redactValue<T>(value: T, secrets: readonly string[]): T {
    if (typeof value === 'string') return this.redactText(value, secrets) as T;
    if (Array.isArray(value)) return value.map(item => this.redactValue(item, secrets)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.redactValue(item, secrets)]),
      ) as T;
    }
    return value;
  }

  /**
   * `text` with each placeholder replaced by the secret it stands for (JSON-escaped, as it sits
   * inside a string literal). `unknown` lists placeholders no current secret matches.
   */
  restoreText(text: string, secrets: readonly string[]): { text: string; unknown: string[] } {
    const byPlaceholder = new Map(secrets.map(secret => [this.placeholderFor(secret), secret]));
    const unknown: string[] = [];
    const restored = text.replace(placeholderPattern, placeholder => {
      const secret = byPlaceholder.get(placeholder);
      if (secret === undefined) {
        unknown.push(placeholder);
        return placeholder;
      }
      return JSON.stringify(secret).slice(1, -1);
    });
    return { text: restored, unknown };
  }
}
