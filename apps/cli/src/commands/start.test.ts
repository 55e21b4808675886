import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';
import { type MockOpenAIServer, startMockOpenAIServer } from '../../test/mock-openai-server.js';
import { createOpenAIChunks, formatOpenAISSE } from '@conduit/test-utils';

interface StatusJSON {
  running: boolean;
  pid: number | null;
  port: number | null;
  url: string | null;
  version: string | null;
  providers: string[];
  health: { reachable: boolean; status: number | null; body: { status?: string } | null } | null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('conduit start / status / stop / restart (daemon)', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let configFile: string;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    sandbox = createSandbox();
    port = await findFreePort();
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        APIKEY: 'test-inbound-key',
        Providers: [
          {
            name: 'mock',
            api_base_url: `${upstream.url}/v1/chat/completions`,
            api_key: 'sk-upstream-secret-key',
            models: ['mock-model'],
          },
        ],
        Router: { default: 'mock,mock-model' },
        usage: { storage: `sqlite:${path.join(sandbox.root, 'usage.db')}`, flushIntervalMs: 50 },
      }),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('starts detached, reports status, refuses a second instance, restarts and stops gracefully', async () => {
    const start = await sandbox.run([
      'start',
      '--daemon',
      '--port',
      String(port),
      '--config',
      configFile,
    ]);
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(
      new RegExp(`started in the background \\(PID \\d+\\) at http://127\\.0\\.0\\.1:${port}`),
    );

    const pidFile = path.join(sandbox.conduitHome, 'conduit.pid');
    const pidInfo = JSON.parse(readFileSync(pidFile, 'utf8')) as Record<string, unknown>;
    expect(pidInfo).toMatchObject({
      port,
      host: '127.0.0.1',
      configPath: configFile,
      mode: 'daemon',
    });
    expect(typeof pidInfo.startedAt).toBe('string');
    expect(typeof pidInfo.version).toBe('string');
    const firstPid = pidInfo.pid as number;
    expect(isAlive(firstPid)).toBe(true);
    // What Conduit writes is private to the user.
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    expect(modeOf(pidFile)).toBe(0o600);
    expect(modeOf(path.join(sandbox.conduitHome, 'logs'))).toBe(0o700);
    expect(modeOf(path.join(sandbox.conduitHome, 'logs', 'conduit.log'))).toBe(0o600);
    expect(modeOf(path.join(sandbox.conduitHome, 'logs', 'daemon-stderr.log'))).toBe(0o600);

    const status = await sandbox.run(['status', '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as StatusJSON;
    expect(report).toMatchObject({
      running: true,
      pid: firstPid,
      port,
      url: `http://127.0.0.1:${port}`,
    });
    expect(report.providers).toEqual(['mock (mock-model)']);
    expect(report.health).toMatchObject({ reachable: true, status: 200, body: { status: 'ok' } });

    const text = await sandbox.run(['status']);
    expect(text.stdout).toMatch(
      /Conduit is running\n\s+PID:\s+\d+ \(daemon\)\n\s+Address:\s+http:\/\/127\.0\.0\.1:\d+\n\s+Uptime:\s+\d+s/,
    );
    expect(text.stdout).toMatch(/Health:\s+ok \(HTTP 200\)/);

    const second = await sandbox.run([
      'start',
      '--daemon',
      '--port',
      String(await findFreePort()),
      '--config',
      configFile,
    ]);
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(new RegExp(`already running \\(PID ${firstPid}`));

    // a real request through the daemon ends up in the usage ledger
    const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'test-inbound-key',
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: Array<{ text: string }> }).content[0]?.text).toBe(
      'hello from the mock',
    );

    const restart = await sandbox.run(['restart']);
    expect(restart.code).toBe(0);
    expect(restart.stdout).toMatch(new RegExp(`Conduit stopped \\(PID ${firstPid}\\)`));
    expect(isAlive(firstPid)).toBe(false);
    const restarted = JSON.parse(readFileSync(pidFile, 'utf8')) as {
      pid: number;
      port: number;
      configPath: string;
    };
    expect(restarted.pid).not.toBe(firstPid);
    // restart keeps the port and the config of the instance it replaced
    expect(restarted).toMatchObject({ port, configPath: configFile });

    const stop = await sandbox.run(['stop']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`Conduit stopped (PID ${restarted.pid})\n`);
    expect(isAlive(restarted.pid)).toBe(false);
    expect(readdirSync(sandbox.conduitHome)).not.toContain('conduit.pid');

    const after = await sandbox.run(['status']);
    expect(after.code).toBe(3);
    expect(after.stdout).toMatch(/not running/);

    // the graceful stop flushed the ledger: the request is there
    const usage = await sandbox.run(['usage', '--json', '--config', configFile]);
    const stats = JSON.parse(usage.stdout) as {
      totals: { requests: number; inputTokens: number; outputTokens: number };
      byModel: Array<{ provider: string; model: string }>;
    };
    expect(stats.totals).toMatchObject({ requests: 1, inputTokens: 21, outputTokens: 4 });
    expect(stats.byModel[0]).toMatchObject({ provider: 'mock', model: 'mock-model' });

    // logs are written, and hold no secret
    const log = readFileSync(path.join(sandbox.conduitHome, 'logs', 'conduit.log'), 'utf8');
    expect(log).toMatch(/conduit started/);
    expect(log).not.toContain('sk-upstream-secret-key');
    expect(log).not.toContain('test-inbound-key');
  });

  it('removes a stale PID file and starts', async () => {
    const pidFile = path.join(sandbox.conduitHome, 'conduit.pid');
    (await import('node:fs')).mkdirSync(sandbox.conduitHome, { recursive: true });
    writeFileSync(
      pidFile,
      JSON.stringify({
        pid: 2 ** 30,
        port: 1,
        host: '127.0.0.1',
        startedAt: '',
        version: 'old',
        configPath: null,
        mode: 'daemon',
      }),
    );
    const status = await sandbox.run(['status']);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/stale PID file/);

    const start = await sandbox.run([
      'start',
      '--daemon',
      '--port',
      String(port),
      '--config',
      configFile,
    ]);
    expect(start.code).toBe(0);
    const info = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number };
    expect(info.pid).not.toBe(2 ** 30);
    expect(isAlive(info.pid)).toBe(true);

    const log = readFileSync(path.join(sandbox.conduitHome, 'logs', 'conduit.log'), 'utf8');
    expect(log).toMatch(/removed a stale PID file/);

    // stop on a stale file says so and cleans up
    await sandbox.run(['stop']);
    writeFileSync(pidFile, JSON.stringify({ pid: 2 ** 30 }));
    const stop = await sandbox.run(['stop']);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/not running; removed a stale PID file/);
  });

  it('explains a port in use, for daemon and foreground starts', async () => {
    const blocker: Server = createServer();
    await new Promise<void>(resolve => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const daemon = await sandbox.run([
        'start',
        '--daemon',
        '--port',
        String(port),
        '--config',
        configFile,
      ]);
      expect(daemon.code).toBe(1);
      expect(daemon.stderr).toBe(
        `conduit: port ${port} is in use by another process; stop it or use --port\n`,
      );
      const foreground = await sandbox.run([
        'start',
        '--port',
        String(port),
        '--config',
        configFile,
      ]);
      expect(foreground.code).toBe(1);
      expect(foreground.stderr).toContain(
        `port ${port} is in use by another process; stop it or use --port`,
      );
      expect(readdirSync(sandbox.conduitHome)).not.toContain('conduit.pid');
    } finally {
      await new Promise<void>(resolve => blocker.close(() => resolve()));
    }
  });

  it('refuses an invalid config with exit code 2 and every problem', async () => {
    writeFileSync(
      configFile,
      JSON.stringify({
        Providers: [
          {
            name: 'mock',
            api_base_url: `${upstream.url}/v1/chat/completions`,
            api_key: 'k',
            models: ['mock-model'],
          },
        ],
        Router: { default: 'ghost,model', think: 'mock,unknown-model' },
      }),
    );
    for (const args of [['start', '--daemon'], ['start'], ['code', '-p', 'hi']]) {
      // conduit's own options go before the command (after `code` everything is claude's)
      const result = await sandbox.run(['--config', configFile, ...args]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(/Router\.default: [\s\S]*Router\.think: /);
    }
    expect(readdirSync(sandbox.root)).not.toContain('conduit.pid');
  });

  it('listens on the PORT environment variable when the config and flags set no port', async () => {
    const start = await sandbox.run(['start', '--daemon', '--config', configFile], {
      env: { PORT: String(port) },
    });
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    expect(start.stdout).toContain(`at http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const status = JSON.parse((await sandbox.run(['status', '--json'])).stdout) as StatusJSON;
    expect(status).toMatchObject({ running: true, port });
    expect((await sandbox.run(['stop'])).code).toBe(0);
  });

  it('refuses a PORT environment variable that is not a port, with exit code 2', async () => {
    const start = await sandbox.run(['start', '--daemon', '--config', configFile], {
      env: { PORT: 'eighty' },
    });
    expect(start.code).toBe(2);
    expect(start.stderr).toContain('PORT: the PORT environment variable is "eighty"');
    expect(existsSync(path.join(sandbox.conduitHome, 'conduit.pid'))).toBe(false);
  });

  it('runs in the foreground and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { cliBundle } = await import('../../test/cli-harness.js');
    const child = spawn(
      process.execPath,
      [cliBundle, 'start', '--port', String(port), '--config', configFile],
      {
        env: sandbox.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', chunk => {
      stdout += String(chunk);
    });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    for (let attempt = 0; attempt < 200 && !stdout.includes('listening'); attempt++) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(stdout).toMatch(
      new RegExp(`Conduit listening on http://127\\.0\\.0\\.1:${port} \\(PID ${child.pid}\\)`),
    );
    const pidFile = path.join(sandbox.conduitHome, 'conduit.pid');
    expect(JSON.parse(readFileSync(pidFile, 'utf8'))).toMatchObject({
      pid: child.pid,
      mode: 'foreground',
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readdirSync(sandbox.conduitHome)).not.toContain('conduit.pid');
  });
  /** Starts `conduit start` in the foreground; resolves once it listens. */
  async function startForeground(args: string[]) {
    const { spawn } = await import('node:child_process');
    const { cliBundle } = await import('../../test/cli-harness.js');
    const child = spawn(process.execPath, [cliBundle, 'start', ...args], {
      env: sandbox.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', chunk => {
      output.stdout += String(chunk);
    });
    child.stderr.on('data', chunk => {
      output.stderr += String(chunk);
    });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    await waitFor(
      () => output.stdout.includes('listening'),
      () => output.stderr,
    );
    return { child, output, exited };
  }

  async function waitFor(check: () => boolean, explain: () => string): Promise<void> {
    for (let attempt = 0; attempt < 400 && !check(); attempt++) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    if (!check()) throw new Error(`condition not met; output so far:\n${explain()}`);
  }

  it('exits at once on a second SIGTERM while a stream is still in flight', async () => {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    // The first SIGTERM would wait up to 10 minutes for the stream (about a minute long).
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, server: { gracefulShutdown: { timeoutMs: 600_000 } } }),
    );
    upstream.enqueue({
      type: 'sse',
      frames: formatOpenAISSE(
        createOpenAIChunks({
          text: 'x'.repeat(600),
          stop: 'end_turn',
          usage: { input: 3, output: 120 },
        }),
      ),
      frameDelayMs: 500,
    });
    const { child, output, exited } = await startForeground([
      '--port',
      String(port),
      '--config',
      configFile,
    ]);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'test-inbound-key' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 50,
          stream: true,
          messages: [{ role: 'user', content: 'a long answer, please' }],
        }),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('content_block_delta')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text).toContain('content_block_delta');

      child.kill('SIGTERM');
      await waitFor(
        () => output.stderr.includes('stopping gracefully'),
        () => output.stderr,
      );
      // Still serving the stream after the first SIGTERM: it waits for in-flight requests.
      const afterFirst = await reader.read();
      expect(afterFirst.done).toBe(false);

      child.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(output.stderr).toContain('again; exiting without waiting');
      // The stream was cut, not finished.
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      } catch {
        // the connection went away with the process
      }
      expect(text).not.toContain('message_stop');
      expect(readdirSync(sandbox.conduitHome)).not.toContain('conduit.pid');
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('refuses a public bind without APIKEY with exit code 2, foreground and daemon', async () => {
    const { APIKEY: _key, ...config } = JSON.parse(readFileSync(configFile, 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(configFile, JSON.stringify(config));
    for (const args of [['start'], ['start', '--daemon']]) {
      const result = await sandbox.run([
        ...args,
        '--host',
        '0.0.0.0',
        '--port',
        String(port),
        '--config',
        configFile,
      ]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain('Refusing to listen on 0.0.0.0 without an API key');
    }
    expect(existsSync(path.join(sandbox.conduitHome, 'conduit.pid'))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('refuses a config file reload that drops APIKEY while listening on 0.0.0.0', async () => {
    const { child, output, exited } = await startForeground([
      '--host',
      '0.0.0.0',
      '--port',
      String(port),
      '--config',
      configFile,
    ]);
    try {
      const { APIKEY: _key, ...withoutKey } = JSON.parse(
        readFileSync(configFile, 'utf8'),
      ) as Record<string, unknown>;
      writeFileSync(configFile, JSON.stringify(withoutKey));
      await waitFor(
        () => output.stderr.includes('config change rejected'),
        () => output.stderr,
      );
      expect(output.stderr).toMatch(/no \\+"APIKEY\\+", but Conduit listens on 0\.0\.0\.0/);
      const url = `http://127.0.0.1:${port}/v1/models`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { 'x-api-key': 'test-inbound-key' } })).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
