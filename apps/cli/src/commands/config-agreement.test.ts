/**
 * One validator: every invalid config of the suite is refused, with the same problems, by
 * `conduit config validate` and `conduit start` (the built CLI), the library's
 * `validateConduitConfig` / `parseConduitConfig`, `loadConduitConfig` (what hot reload and `run()`
 * use), a server's `updateConfig`, and a `ConfigManager` made with `createConduitConfigManager`.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ConfigError,
  type ConfigIssue,
  createConduitConfigManager,
  createConduitServer,
  loadConduitConfig,
  parseConduitConfig,
  validateConduitConfig,
} from '@conduit/conduit';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';

const provider = {
  name: 'mock',
  api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
  api_key: 'sk-test',
  models: ['mock-model'],
};
const valid = {
  Providers: [provider],
  Router: { default: 'mock,mock-model' },
  usage: { enabled: false },
};

/** The invalid configs the CLI, core and server suites use, by what is wrong. */
const invalidConfigs: Array<[string, Record<string, unknown>]> = [
  [
    'unknown transformer name',
    { ...valid, Providers: [{ ...provider, transformer: { use: ['no-such-transformer'] } }] },
  ],
  [
    'unknown transformer name for one model',
    {
      ...valid,
      Providers: [{ ...provider, transformer: { 'mock-model': { use: ['ghost-transformer'] } } }],
    },
  ],
  [
    'bad transformer options',
    {
      ...valid,
      Providers: [{ ...provider, transformer: { use: [['Anthropic', { UseBearer: 'yes' }]] } }],
    },
  ],
  [
    'unsupported transformer',
    { ...valid, Providers: [{ ...provider, transformer: { use: ['vertex-gemini'] } }] },
  ],
  [
    'route to an unknown provider and model',
    { ...valid, Router: { default: 'ghost,model', think: 'mock,unknown-model' } },
  ],
  ['wrong type', { ...valid, PORT: 'not a number' }],
  ['unknown preset', { ...valid, preset: 'no-such-preset' }],
  ['server setting of the wrong type', { ...valid, server: { watchConfig: 'yes' } }],
];

function errorPaths(issues: ConfigIssue[]): string[] {
  return [
    ...new Set(issues.filter(issue => issue.severity !== 'warning').map(issue => issue.path)),
  ].sort();
}

/** The problem paths the CLI printed (`  - Router.default: …`). */
function printedPaths(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^ {2}- (\S+): /gm)].map(match => match[1]!))].sort();
}

function thrownPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (ConfigError.isInstance(error)) return errorPaths(error.issues);
    throw error;
  }
  return [];
}

async function rejectedPaths(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error === undefined) return [];
  if (ConfigError.isInstance(error)) return errorPaths(error.issues);
  throw error;
}

describe('one validator for validate, start, hot reload, ConfigManager and the library', () => {
  let sandbox: Sandbox;
  beforeAll(() => {
    sandbox = createSandbox();
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('accepts the valid base config everywhere', async () => {
    const file = path.join(sandbox.root, 'valid.json');
    writeFileSync(file, JSON.stringify(valid));
    expect((await sandbox.run(['config', 'validate', '--config', file])).code).toBe(0);
    expect(errorPaths(validateConduitConfig(valid))).toEqual([]);
    expect(() => createConduitConfigManager(valid)).not.toThrow();
    await expect(loadConduitConfig({ path: file })).resolves.toBeDefined();
  });

  it.each(invalidConfigs)(
    '%s: refused by all of them with the same problems',
    async (name, config) => {
      const expected = errorPaths(validateConduitConfig(config));
      expect(expected.length).toBeGreaterThan(0);

      const file = path.join(sandbox.root, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(config));
      const validate = await sandbox.run(['config', 'validate', '--config', file]);
      expect({ command: 'validate', code: validate.code }).toEqual({
        command: 'validate',
        code: 2,
      });
      expect(printedPaths(validate.stderr)).toEqual(expected);

      const port = await findFreePort();
      const start = await sandbox.run(['start', '--port', String(port), '--config', file], {
        timeoutMs: 60_000,
      });
      expect({ command: 'start', code: start.code }).toEqual({ command: 'start', code: 2 });
      expect(printedPaths(start.stderr)).toEqual(expected);

      expect(thrownPaths(() => parseConduitConfig(config))).toEqual(expected);
      expect(thrownPaths(() => createConduitConfigManager(config))).toEqual(expected);
      const manager = createConduitConfigManager(valid);
      expect(thrownPaths(() => manager.update(config))).toEqual(expected);
      // Hot reload and run() read the file through loadConduitConfig.
      expect(await rejectedPaths(loadConduitConfig({ path: file }))).toEqual(expected);
      const server = createConduitServer(valid);
      try {
        expect(await rejectedPaths(server.updateConfig(config))).toEqual(expected);
      } finally {
        await server.stop();
      }
    },
  );
});
