import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';
import { type MockOpenAIServer, startMockOpenAIServer } from '../../test/mock-openai-server.js';
import { browserCommand } from '../lib/open-browser.js';

describe('conduit ui', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let configFile: string;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
    sandbox = createSandbox();
    port = await findFreePort();
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        PORT: port,
        Providers: [
          {
            name: 'mock',
            api_base_url: upstream.endpoint,
            api_key: 'k-secret-value',
            models: ['big'],
          },
        ],
        Router: { default: 'mock,big' },
        usage: { enabled: false },
      }),
    );
  });
  afterAll(async () => {
    await sandbox?.dispose();
    await upstream?.close();
  });

  it('--no-open starts the daemon, prints the URL and exits 0 with the daemon running', async () => {
    const first = await sandbox.run(['--config', configFile, 'ui', '--no-open']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`http://127.0.0.1:${port}/ui/\n`);
    expect(first.stderr).toContain('started the gateway in the background');

    const page = await fetch(first.stdout.trim(), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"></div>');
    const config = await fetch(`http://127.0.0.1:${port}/api/config`);
    expect(JSON.stringify(await config.json())).not.toContain('k-secret-value');

    // ccr ui with a daemon already running: same URL, nothing started.
    const second = await sandbox.run(['--config', configFile, 'ui', '--no-open']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).not.toContain('started the gateway');
  });

  it('opens the platform’s browser opener', () => {
    expect(browserCommand('linux')).toEqual({ command: 'xdg-open', args: [] });
    expect(browserCommand('darwin')).toEqual({ command: 'open', args: [] });
    expect(browserCommand('win32').command).toBe('cmd');
  });
});
