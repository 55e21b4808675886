import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { shouldRunPostgresTests, TestSchemas } from '@conduit/test-utils/postgres';
import { KeyManager } from './key-manager.js';
import type { KeyStore } from './key-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { SQLiteKeyStore } from './sqlite-key-store.js';
import { hashSecret, keyIdFromSecret, secretMatches } from './virtual-key.js';

const directory = mkdtempSync(join(tmpdir(), 'conduit-keys-'));
const stores: KeyStore[] = [];
const schemas = new TestSchemas();
afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(directory, { recursive: true, force: true });
  await schemas.dropAll();
});

const kinds: Array<[string, () => KeyStore]> = [
  ['sqlite', () => new SQLiteKeyStore(join(directory, `${stores.length}.db`))],
];
if (shouldRunPostgresTests('fleet PostgresKeyStore')) {
  kinds.push(['postgres', () => new PostgresKeyStore(schemas.nextURL())]);
}

describe.each(kinds)('%s key store', (_kind, create) => {
  const open = () => {
    const store = create();
    stores.push(store);
    return store;
  };

  it('issues a secret once and keeps only its hash', async () => {
    const store = open();
    const changed: string[] = [];
    const keys = new KeyManager(store, id => {
      changed.push(id);
    });
    const issued = await keys.create({
      name: 'ci',
      projectId: 'web',
      models: ['openai,gpt-*'],
      limits: { rpm: 60, budgetDaily: 5 },
    });
    expect(keyIdFromSecret(issued.key)).toBe(issued.id);
    const stored = await store.get(issued.id);
    expect(stored).toMatchObject({
      name: 'ci',
      projectId: 'web',
      agentId: null,
      models: ['openai,gpt-*'],
      limits: { rpm: 60, budgetDaily: 5 },
      revokedAt: null,
    });
    expect(stored!.secretHash).toBe(hashSecret(issued.key));
    expect(JSON.stringify(stored)).not.toContain(issued.key);
    expect(JSON.stringify(await keys.list())).not.toContain(issued.key);
    expect(secretMatches(issued.key, stored!.secretHash)).toBe(true);
    expect(secretMatches(`${issued.key}x`, stored!.secretHash)).toBe(false);

    const rotated = await keys.rotate(issued.id);
    const afterRotation = await store.get(issued.id);
    expect(secretMatches(issued.key, afterRotation!.secretHash)).toBe(false);
    expect(secretMatches(rotated.key, afterRotation!.secretHash)).toBe(true);

    const revoked = await keys.revoke(issued.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(changed).toEqual([issued.id, issued.id]);
    await expect(keys.rotate(issued.id)).rejects.toThrow('unknown or revoked');
    await expect(keys.revoke('vk_0000000000000000')).rejects.toThrow('no virtual key');
  });

  it('rejects bad input with the field named', async () => {
    const keys = new KeyManager(open());
    await expect(keys.create({ name: ' ' })).rejects.toThrow('a key needs a name');
    await expect(keys.create({ name: 'x', limits: { rpm: -1 } })).rejects.toThrow('rpm');
  });
});
