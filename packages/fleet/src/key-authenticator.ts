import {
  type AuthenticatedPrincipal,
  type AuthenticationRequest,
  type Logger,
  RequestRefusedError,
} from '@conduit/core';
import { stateUnavailable } from './fleet-errors.js';
import type { KeyStore } from './keys/key-store.js';
import { keyIdFromSecret, secretMatches, type VirtualKey } from './keys/virtual-key.js';

interface CachedKey {
  key: VirtualKey | undefined;
  fetchedAt: number;
}

/** Where a virtual key may be used: the model API, not the admin or usage endpoints. */
function isModelAPIPath(path: string): boolean {
  return path === '/v1/messages' || path.startsWith('/v1/');
}

/**
 * Turns a presented virtual-key secret into a principal: the id is read from the secret, the row
 * fetched by primary key (cached for `cacheTtlMs`, dropped at once when another instance
 * announces a revocation), and the hash compared in constant time. Revoked or unknown keys are
 * refused with 401 — even on a gateway without `APIKEY`, so a revoked key never falls back to
 * anonymous access.
 */
export class KeyAuthenticator {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly store: KeyStore,
    private readonly options: { cacheTtlMs: number; logger: Logger; now?: () => number },
  ) {}

  /** Forgets a key (another instance revoked or rotated it). */
  invalidate(id: string): void {
    this.cache.delete(id);
  }

  authenticate = async (
    credential: string,
    request: AuthenticationRequest,
  ): Promise<AuthenticatedPrincipal | undefined> => {
    const id = keyIdFromSecret(credential);
    if (!id) return undefined;
    if (!isModelAPIPath(request.path)) return undefined;
    const key = await this.lookup(id);
    if (!key || !secretMatches(credential, key.secretHash)) {
      throw refusal('Invalid API key.', 'unknown-key');
    }
    if (key.revokedAt) throw refusal('This API key has been revoked.', 'revoked');
    const metadata: Record<string, unknown> = { apiKeyId: key.id, apiKeyName: key.name };
    const headers: Record<string, string> = {};
    if (key.projectId) {
      metadata.projectId = key.projectId;
      headers['x-synapse-project-id'] = key.projectId;
    }
    if (key.agentId) {
      metadata.agentId = key.agentId;
      headers['x-synapse-agent-id'] = key.agentId;
    }
    return { kind: 'virtual-key', id: key.id, metadata, headers };
  };

  /** The key behind a principal (from the cache), for admission. */
  async getKey(id: string): Promise<VirtualKey | undefined> {
    return this.lookup(id);
  }

  private async lookup(id: string): Promise<VirtualKey | undefined> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(id);
    if (cached && now - cached.fetchedAt < this.options.cacheTtlMs) return cached.key;
    let key: VirtualKey | undefined;
    try {
      key = await this.store.get(id);
    } catch (error) {
      // The store is down: a key seen recently keeps working; an unknown one cannot be checked.
      if (cached) return cached.key;
      this.options.logger.error('fleet: the key store cannot be read', {
        message: error instanceof Error ? error.message : String(error),
      });
      throw stateUnavailable(
        'Conduit cannot check this API key right now (key store unreachable). Retry shortly.',
        'key-store-unavailable',
      );
    }
    this.cache.set(id, { key, fetchedAt: now });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return key;
  }
}

function refusal(message: string, reason: string): RequestRefusedError {
  return new RequestRefusedError({
    statusCode: 401,
    errorType: 'authentication_error',
    message,
    reason,
  });
}
