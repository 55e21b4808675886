import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ScopeLimits } from '../fleet-config.js';

/** A virtual key as stored: everything but the secret, of which only a SHA-256 hash is kept. */
export interface VirtualKey {
  /** Public id (`vk_` + 16 hex), part of the secret so lookups need no scan. */
  id: string;
  /** Owner label (`--name`). */
  name: string;
  /** Hex SHA-256 of the whole secret. */
  secretHash: string;
  /** First characters of the secret, for humans (`ck-vk_1a2b…`). */
  hint: string;
  /** Requests are booked to this Synapse project, whatever the client sends. */
  projectId: string | null;
  /** Requests are booked to this agent, whatever the client sends. */
  agentId: string | null;
  /** Allowed `provider,model` routes or model names (`*` wildcards); empty = all. */
  models: string[];
  limits: ScopeLimits;
  createdAt: Date;
  revokedAt: Date | null;
  /** Bumped by `rotate`, so caches holding the old hash are recognisably stale. */
  rotatedAt: Date | null;
}

/** A key without its hash: what lists and the admin API show. */
export type VirtualKeyInfo = Omit<VirtualKey, 'secretHash'>;

const secretPrefix = 'ck-';
const idPattern = /^vk_[0-9a-f]{16}$/;
const secretPattern = /^ck-(vk_[0-9a-f]{16})-[A-Za-z0-9_-]{43}$/;

/** A new key id. */
export function createKeyId(): string {
  return `vk_${randomBytes(8).toString('hex')}`;
}

/** Whether `id` looks like a virtual key id. */
export function isKeyId(id: string): boolean {
  return idPattern.test(id);
}

/** A new secret for `id`: `ck-<id>-<256 random bits, base64url>`. */
export function createSecret(id: string): string {
  return `${secretPrefix}${id}-${randomBytes(32).toString('base64url')}`;
}

/** The key id a presented credential names, or undefined when it is not a virtual key. */
export function keyIdFromSecret(credential: string): string | undefined {
  return secretPattern.exec(credential)?.[1];
}

/** Hex SHA-256 of a secret (high-entropy secrets need no slow hash). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** The displayable start of a secret. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, 14)}…`;
}

/** Strips the hash. */
export function toKeyInfo(key: VirtualKey): VirtualKeyInfo {
  const { secretHash: _hash, ...info } = key;
  return info;
}

/** Whether `route` (`provider,model`) or `model` is allowed by a key's `models` list. */
export function isModelAllowed(
  patterns: readonly string[],
  candidates: readonly string[],
): boolean {
  if (patterns.length === 0) return true;
  return patterns.some(pattern => {
    const expression = new RegExp(
      `^${pattern
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '.*')}$`,
      'i',
    );
    return candidates.some(candidate => expression.test(candidate));
  });
}
