import { describe, expect, it } from '@jest/globals';
import {
  createManifest,
  fillPlaceholders,
  manifestConfig,
  manifestProblem,
} from './preset-manifest.js';

/** `${NAME}`, spelled so it is not mistaken for a template literal. */
const reference = (name: string) => ['$', '{', name, '}'].join('');

describe('preset manifests', () => {
  const config = {
    PORT: 3456,
    APIKEY: 'inbound',
    Providers: [
      { name: 'a', api_key: 'sk-a', models: ['m'], headers: { Authorization: 'Bearer sk-h' } },
      { name: 'b', api_key: reference('B_KEY'), models: ['n'] },
      { name: 'a', api_key: 'sk-a2', models: ['o'] },
    ],
    Router: { default: 'a,m' },
  };

  it('keeps only shareable keys and replaces every secret (env references stay)', () => {
    const { manifest, omitted, secrets } = createManifest('team', config, { keywords: ['x'] });
    expect(omitted).toEqual(['PORT', 'APIKEY']);
    expect(secrets).toBe(3);
    expect(JSON.stringify(manifest)).not.toMatch(/sk-a|sk-h|inbound/);
    expect(manifest.schema?.map(field => [field.id, field.env])).toEqual([
      ['a_api_key', 'A_API_KEY'],
      ['a_Authorization', 'A_AUTHORIZATION'],
      ['a_api_key_2', 'A_API_KEY_2'],
    ]);
    const providers = manifestConfig(manifest).Providers as Array<Record<string, unknown>>;
    expect(providers.map(provider => provider.api_key)).toEqual([
      '{{a_api_key}}',
      reference('B_KEY'),
      '{{a_api_key_2}}',
    ]);
  });

  it('fills placeholders and checks manifests', () => {
    expect(fillPlaceholders({ k: ['Bearer {{t}}', '{{other}}'] }, { t: reference('T') })).toEqual({
      k: [`Bearer ${reference('T')}`, '{{other}}'],
    });
    expect(manifestProblem({ name: '../x', version: '1' })).toMatch(/preset name/);
    expect(manifestProblem({ name: 'ok', version: '1', schema: [{ id: 'a b' }] })).toMatch(/id/);
    expect(manifestProblem({ name: 'ok', version: '1' })).toBeUndefined();
  });
});
