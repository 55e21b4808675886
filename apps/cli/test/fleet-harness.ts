/**
 * Runs `conduit start` in the foreground as a subprocess of the test (port chosen by the OS) and
 * stops it with SIGTERM, as an init system would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliBundle, type Sandbox } from './cli-harness.js';

export interface ForegroundGateway {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then waits for the exit (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Starts `conduit start --port 0` with `configPath`, in `conduitHome` (default the sandbox's). */
export async function startForegroundGateway(
  sandbox: Sandbox,
  configPath: string,
  options: { conduitHome?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ForegroundGateway> {
  const conduitHome = options.conduitHome ?? sandbox.conduitHome;
  const child = spawn(
    process.execPath,
    [cliBundle, 'start', '--port', '0', '--host', '127.0.0.1', '--config', configPath],
    {
      env: { ...sandbox.env, CONDUIT_HOME: conduitHome, ...options.env },
      cwd: sandbox.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', chunk => {
    output += String(chunk);
  });
  child.stderr?.on('data', chunk => {
    output += String(chunk);
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>(resolve => {
    child.on('exit', code => {
      exitCode = code;
      resolve(code);
    });
  });
  const pidFile = path.join(conduitHome, 'conduit.pid');
  let port: number | undefined;
  for (let attempt = 0; attempt < 600 && port === undefined; attempt++) {
    if (exitCode !== undefined) throw new Error(`conduit start exited (${exitCode}):\n${output}`);
    try {
      const info = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid?: number; port?: number };
      if (info.pid === child.pid && typeof info.port === 'number' && info.port > 0)
        port = info.port;
    } catch {
      // not written yet
    }
    if (port === undefined) await sleep(50);
  }
  if (port === undefined) {
    child.kill('SIGKILL');
    throw new Error(`conduit start did not come up:\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    output: () => output,
    async stop() {
      if (exitCode !== undefined) return exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
