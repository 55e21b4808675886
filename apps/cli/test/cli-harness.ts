/**
 * Runs the built CLI (`dist/cli.js`) as a subprocess in a sandbox: its own HOME and CONDUIT_HOME,
 * a clean environment, and a record of every daemon it may have started so tests can kill them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cliBundle = path.join(packageDirectory, 'dist', 'cli.js');
/** The Claude Code captures, owned by the repository in `packages/test-utils/fixtures/`. */
export const fixturesDirectory = path.resolve(
  packageDirectory,
  '../../packages/test-utils/fixtures/claude-code',
);

export interface CLIResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  root: string;
  home: string;
  conduitHome: string;
  env: NodeJS.ProcessEnv;
  /** Runs `node dist/cli.js …args` with the sandbox environment (plus `env`). */
  run(
    args: string[],
    options?: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
  ): Promise<CLIResult>;
  /** Kills any Conduit named by the sandbox's PID file, then removes the sandbox. */
  dispose(): Promise<void>;
}

/** Variables of the developer's or CI's environment that must not leak into the CLI under test. */
const leakingPrefixes = [
  'ANTHROPIC_',
  'CONDUIT_',
  'CLAUDE_',
  'SYNAPSE_',
  'NON_INTERACTIVE_MODE',
  'NODE_OPTIONS',
  'PORT',
  'HOST',
];

function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (leakingPrefixes.some(prefix => name === prefix || name.startsWith(prefix))) continue;
    env[name] = value;
  }
  return env;
}

/** Runs a command to completion, collecting its output. */
export function runProcess(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string },
): Promise<CLIResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', chunk => {
      stdout += String(chunk);
    });
    child.stderr?.on('data', chunk => {
      stderr += String(chunk);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: ${args.join(' ')}\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the process named in a PID file (SIGKILL), waiting until it is gone. */
export async function killFromPidFile(pidFile: string): Promise<void> {
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid?: number }).pid;
  } catch {
    return;
  }
  if (typeof pid !== 'number' || pid === process.pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGKILL');
  for (let attempt = 0; attempt < 100 && isAlive(pid); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

/** Creates a sandbox with its own HOME and CONDUIT_HOME. */
export function createSandbox(): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'conduit-cli-test-'));
  const home = path.join(root, 'home');
  const conduitHome = path.join(home, '.conduit');
  const env: NodeJS.ProcessEnv = { ...cleanEnvironment(), HOME: home, CONDUIT_HOME: conduitHome };
  return {
    root,
    home,
    conduitHome,
    env,
    run: (args, options = {}) =>
      runProcess(process.execPath, [cliBundle, ...args], {
        env: { ...env, ...options.env },
        input: options.input,
        timeoutMs: options.timeoutMs,
        cwd: root,
      }),
    dispose: async () => {
      await killFromPidFile(path.join(conduitHome, 'conduit.pid'));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A port that was free a moment ago (listen on 0, read it, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
