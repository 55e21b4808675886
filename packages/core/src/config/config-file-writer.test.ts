import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { saveConfigFile, writeConfigFile } from './config-file-writer.js';

const validConfig = {
  Providers: [
    { name: 'deepseek', api_base_url: 'https://api.deepseek.com/v1', api_key: '$DEEPSEEK_KEY' },
  ],
  Router: { default: 'deepseek,deepseek-chat' },
};

describe('the config file writer', () => {
  let home: string;
  let path: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'conduit-config-writer-'));
    path = join(home, 'nested', 'config.json');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('creates the file 0600 in a new folder, with no backup and no temporary file left', async () => {
    expect(await writeConfigFile(path, '{}\n')).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('{}\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(home, 'nested'))).toEqual(['config.json']);
  });

  it('backs the replaced file up (0600) and keeps only the newest backups', async () => {
    await writeConfigFile(path, '{"n":0}\n');
    const backups: (string | null)[] = [];
    for (let n = 1; n <= 4; n++) {
      backups.push(
        await writeConfigFile(path, `{"n":${n}}\n`, {
          keepBackups: 2,
          now: new Date(Date.UTC(2026, 0, n)),
        }),
      );
    }
    expect(readFileSync(path, 'utf8')).toBe('{"n":4}\n');
    const kept = readdirSync(join(home, 'nested'))
      .filter(name => name.endsWith('.bak'))
      .sort();
    expect(kept).toEqual([
      'config.json.2026-01-03T00-00-00-000Z.bak',
      'config.json.2026-01-04T00-00-00-000Z.bak',
    ]);
    expect(backups[3]).toBe(join(home, 'nested', kept[1]!));
    expect(readFileSync(backups[3]!, 'utf8')).toBe('{"n":3}\n');
    expect(statSync(backups[3]!).mode & 0o777).toBe(0o600);
  });

  it('saves a valid config as JSON, keeping $VAR references as written', async () => {
    await saveConfigFile(path, validConfig, { env: {}, unresolvedSecrets: 'warning' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(validConfig);
  });

  it('refuses an invalid config with every problem, writing nothing', async () => {
    writeFileSync(join(home, 'config.json'), '{"Router":{}}\n');
    const target = join(home, 'config.json');
    const invalid = { ...validConfig, Router: { default: 'nowhere,model' } };
    const error = await saveConfigFile(target, invalid, { env: { DEEPSEEK_KEY: 'k' } }).catch(
      (caught: unknown) => caught,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map(issue => issue.path)).toContain('Router.default');
    expect(readFileSync(target, 'utf8')).toBe('{"Router":{}}\n');
    expect(readdirSync(home)).toEqual(['config.json']);
  });
});
