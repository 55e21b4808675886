import { ConduitError } from '@conduit/core';
import type { ScopeLimits } from '../fleet-config.js';
import { scopeLimitsSchema } from '../fleet-config.js';
import type { KeyStore } from './key-store.js';
import {
  createKeyId,
  createSecret,
  hashSecret,
  isKeyId,
  secretHint,
  toKeyInfo,
  type VirtualKeyInfo,
} from './virtual-key.js';

/** What `conduit keys create` and `POST /api/fleet/keys` take. */
export interface CreateKeyInput {
  name: string;
  projectId?: string;
  agentId?: string;
  models?: string[];
  limits?: ScopeLimits;
}

/** A key with its secret: returned once, by create and rotate. */
export interface IssuedKey extends VirtualKeyInfo {
  key: string;
}

const name = 'VirtualKeyError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** A key operation that cannot be done (unknown id, bad input), with the status to answer. */
export class VirtualKeyError extends ConduitError {
  private readonly [symbol] = true;
  readonly statusCode: 400 | 404;

  constructor({ message, statusCode }: { message: string; statusCode: 400 | 404 }) {
    super({ name, message });
    this.statusCode = statusCode;
  }

  static override isInstance(error: unknown): error is VirtualKeyError {
    return ConduitError.hasMarker(error, marker);
  }
}

/**
 * Issues, lists, revokes and rotates virtual keys. Secrets are returned once and stored only as
 * SHA-256 hashes. `onChange` hears every revocation and rotation (the fleet broadcasts them so
 * every instance drops its cached copy at once).
 */
export class KeyManager {
  constructor(
    private readonly store: KeyStore,
    private readonly onChange: (id: string) => void | Promise<void> = () => undefined,
  ) {}

  async create(input: CreateKeyInput): Promise<IssuedKey> {
    const label = input.name?.trim();
    if (!label) throw new VirtualKeyError({ message: 'a key needs a name', statusCode: 400 });
    const limits = scopeLimitsSchema.safeParse(input.limits ?? {});
    if (!limits.success) {
      throw new VirtualKeyError({
        message: `invalid limits: ${limits.error.issues.map(issue => `${issue.path.join('.')} ${issue.message}`).join('; ')}`,
        statusCode: 400,
      });
    }
    const id = createKeyId();
    const secret = createSecret(id);
    const stored = await this.store.create({
      id,
      name: label,
      secretHash: hashSecret(secret),
      hint: secretHint(secret),
      projectId: input.projectId?.trim() || null,
      agentId: input.agentId?.trim() || null,
      models: (input.models ?? []).map(model => model.trim()).filter(Boolean),
      limits: limits.data,
    });
    return { ...toKeyInfo(stored), key: secret };
  }

  async list(): Promise<VirtualKeyInfo[]> {
    return (await this.store.list()).map(toKeyInfo);
  }

  async get(id: string): Promise<VirtualKeyInfo> {
    const key = isKeyId(id) ? await this.store.get(id) : undefined;
    if (!key) throw unknownKey(id);
    return toKeyInfo(key);
  }

  async revoke(id: string): Promise<VirtualKeyInfo> {
    if (!isKeyId(id) || !(await this.store.revoke(id))) throw unknownKey(id);
    await this.onChange(id);
    return this.get(id);
  }

  async rotate(id: string): Promise<IssuedKey> {
    if (!isKeyId(id)) throw unknownKey(id);
    const secret = createSecret(id);
    if (!(await this.store.rotate(id, hashSecret(secret), secretHint(secret)))) {
      throw new VirtualKeyError({
        message: `no active virtual key "${id}" (unknown or revoked)`,
        statusCode: 404,
      });
    }
    await this.onChange(id);
    return { ...(await this.get(id)), key: secret };
  }
}

function unknownKey(id: string): VirtualKeyError {
  return new VirtualKeyError({
    message: `no virtual key "${id}" (ids look like vk_0123456789abcdef; see conduit keys list)`,
    statusCode: 404,
  });
}
