import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  cliBundle,
  createSandbox,
  findFreePort,
  packageDirectory,
  type Sandbox,
} from '../../test/cli-harness.js';

// Issue 20: zod (and its schemas) cost the idle gateway memory and start-up time; a valid config
// and a health check never need it, so no module may build its schemas before they are used.
const zodProbe = path.join(packageDirectory, 'test', 'zod-init-probe.cjs');

function askZodInits(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const answer = message as { zodInits?: string[] };
      if (!Array.isArray(answer.zodInits)) return;
      child.off('message', onMessage);
      resolve(answer.zodInits);
    };
    child.on('message', onMessage);
    child.send('zod-inits?', error => {
      if (error) reject(error);
    });
  });
}

describe('conduit start with a valid config', () => {
  let sandbox: Sandbox;
  let gateway: ChildProcess;
  let port: number;
  let stderr = '';
  let exit: string | undefined;

  beforeAll(async () => {
    sandbox = createSandbox();
    const configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        APIKEY: 'test-inbound-key',
        Providers: [
          {
            name: 'mock',
            api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
            api_key: 'sk-upstream-secret-key',
            models: ['mock-model'],
          },
        ],
        Router: { default: 'mock,mock-model' },
      }),
    );
    port = await findFreePort();
    gateway = spawn(
      process.execPath,
      // Source maps, so a failure's stacks name the source modules rather than minified chunks.
      [
        '--enable-source-maps',
        '--require',
        zodProbe,
        cliBundle,
        'start',
        '--port',
        String(port),
        '--config',
        configFile,
      ],
      { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
    );
    gateway.stderr?.on('data', chunk => {
      stderr += String(chunk);
    });
    gateway.on('exit', (code, signal) => {
      exit = String(code ?? signal);
    });
    let stdout = '';
    gateway.stdout?.on('data', chunk => {
      stdout += String(chunk);
    });
    for (let attempt = 0; attempt < 400 && !stdout.includes('listening'); attempt++) {
      if (exit !== undefined) throw new Error(`the gateway exited (${exit}): ${stderr}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await sandbox?.dispose();
  });

  it('serves GET /health without ever initializing zod', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    // On failure, the stacks name the modules that built schemas or imported zod.
    expect(await askZodInits(gateway)).toEqual([]);
    expect(exit).toBeUndefined();
  });
});
