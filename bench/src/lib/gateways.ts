import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDirectory, cliEntry, repositoryRoot, sourceNodeFlags } from './bench-paths.js';
import {
  type BenchProcess,
  findFreePort,
  readFirstJSONLine,
  startProcess,
  waitForHTTP200,
} from './processes.js';

/** A gateway (or the mock) the bench started, listening on 127.0.0.1. */
export interface RunningServer {
  name: string;
  url: string;
  process: BenchProcess;
  /** Milliseconds from spawn to the first 200 of its health URL. */
  readyMs: number;
  /** Stops the process and removes its temporary home. */
  stop(): Promise<void>;
}

/** A provider entry of the bench config (the same for Conduit and claude-code-router). */
export interface BenchProvider {
  name: string;
  api_base_url: string;
  api_key: string;
  models: string[];
  transformer?: { use: string[] };
}

/** The providers both gateways get, each pointing at one mock path. */
export function createBenchProviders(mockURL: string): BenchProvider[] {
  const openai = (name: string, path: string): BenchProvider => ({
    name,
    api_base_url: `${mockURL}${path}/v1/chat/completions`,
    api_key: 'sk-bench',
    models: ['mock-model'],
  });
  const anthropic = (name: string, path: string): BenchProvider => ({
    name,
    api_base_url: `${mockURL}${path}/v1/messages`,
    api_key: 'sk-bench',
    models: ['claude-opus-4-8'],
    transformer: { use: ['Anthropic'] },
  });
  return [
    openai('mock-openai', ''),
    openai('mock-openai-delay', '/delay-50'),
    openai('mock-openai-long', '/long'),
    openai('mock-openai-paced', '/paced'),
    anthropic('mock-anthropic', ''),
    anthropic('mock-anthropic-long', '/long'),
  ];
}

/** The fixed delay of the `mock-openai-delay` provider. */
export const mockDelayMs = 50;

/** Builds the CLI (`apps/cli/dist/cli.js`) when it is missing or `force` is set. */
export function ensureCLIBuilt(options: { force?: boolean; log: (line: string) => void }): void {
  if (existsSync(cliEntry) && !options.force) return;
  options.log('building the CLI (pnpm --filter @conduit/cli build)…');
  const result = spawnSync('pnpm', ['--filter', '@conduit/cli', 'build'], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status !== 0 || !existsSync(cliEntry)) {
    throw new Error(`the CLI build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Starts the mock upstream in its own process (TypeScript from source). */
export async function startMockProcess(): Promise<RunningServer> {
  const started = performance.now();
  const child = startProcess(
    process.execPath,
    [...sourceNodeFlags, join(benchDirectory, 'src/mock/mock-upstream-process.ts')],
    { cwd: benchDirectory, stdin: 'pipe' },
  );
  const { port } = await readFirstJSONLine<{ port: number }>(child.child, 30_000).catch(
    async error => {
      await child.stop();
      throw error;
    },
  );
  return {
    name: 'mock',
    url: `http://127.0.0.1:${port}`,
    process: child,
    readyMs: performance.now() - started,
    stop: async () => {
      await child.stop();
    },
  };
}

/** Options of {@link startConduit}. */
export interface StartConduitOptions {
  /** Omit for a start with no config file at all. */
  mockURL?: string;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
  /** Extra config keys. */
  config?: Record<string, unknown>;
  /** Another build of the CLI's `cli.js` (default: `apps/cli/dist/cli.js`), to compare builds. */
  cli?: string;
}

/**
 * `conduit start` (the built CLI, foreground) with a fresh `CONDUIT_HOME` and `HOME`, so no user
 * config is read. Resolves once `GET /health` answers 200.
 */
export async function startConduit(options: StartConduitOptions = {}): Promise<RunningServer> {
  const home = mkdtempSync(join(tmpdir(), 'conduit-bench-home-'));
  if (options.mockURL) {
    const config = {
      Providers: createBenchProviders(options.mockURL),
      Router: { default: 'mock-openai,mock-model' },
      ...options.config,
    };
    writeFileSync(join(home, 'config.json'), JSON.stringify(config, null, 2));
  }
  const port = await findFreePort();
  const started = performance.now();
  const child = startProcess(
    process.execPath,
    [
      ...(options.nodeFlags ?? []),
      options.cli ?? cliEntry,
      'start',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    { cwd: home, env: { ...process.env, CONDUIT_HOME: home, HOME: home, NODE_ENV: 'production' } },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitForHTTP200(`${url}/health`, {
      since: started,
      timeoutMs: 30_000,
      process: child,
    });
    return {
      name: 'conduit',
      url,
      process: child,
      readyMs,
      stop: async () => {
        await child.stop();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child.stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

/** The claude-code-router version compared against. */
export const ccrVersion = '2.0.0';

/**
 * Installs `@musistudio/claude-code-router@2.0.0` from npm into a cache folder under the system
 * temporary directory (reused by later runs) with install scripts off. Returns its `cli.js`, or a
 * reason when it cannot be installed.
 */
export function installCCR(log: (line: string) => void): { cli: string } | { skipped: string } {
  const directory = join(tmpdir(), `conduit-bench-ccr-${ccrVersion}`);
  const cli = join(directory, 'node_modules/@musistudio/claude-code-router/dist/cli.js');
  if (existsSync(cli)) return { cli };
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), '{"name":"ccr-bench-host","private":true}\n');
  log(`installing @musistudio/claude-code-router@${ccrVersion} into ${directory}…`);
  const result = spawnSync(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      `@musistudio/claude-code-router@${ccrVersion}`,
    ],
    { cwd: directory, encoding: 'utf8', timeout: 300_000 },
  );
  if (result.status !== 0 || !existsSync(cli)) {
    return { skipped: `npm install failed: ${(result.stderr || result.stdout || '').slice(-400)}` };
  }
  return { cli };
}

/**
 * `ccr start` with `HOME` set to a temporary folder holding the equivalent config (same mock
 * providers, `LOG: false`, 127.0.0.1). CCR binds 127.0.0.1 when no APIKEY is set.
 */
export async function startCCR(options: { cli: string; mockURL: string }): Promise<RunningServer> {
  const home = mkdtempSync(join(tmpdir(), 'conduit-bench-ccr-home-'));
  const port = await findFreePort();
  mkdirSync(join(home, '.claude-code-router'), { recursive: true });
  const config = {
    PORT: port,
    HOST: '127.0.0.1',
    LOG: false,
    NON_INTERACTIVE_MODE: true,
    Providers: createBenchProviders(options.mockURL),
    Router: { default: 'mock-openai,mock-model' },
  };
  writeFileSync(join(home, '.claude-code-router/config.json'), JSON.stringify(config, null, 2));
  const started = performance.now();
  const child = startProcess(process.execPath, [options.cli, 'start'], {
    cwd: home,
    env: { ...process.env, HOME: home, USERPROFILE: home },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitForHTTP200(`${url}/health`, {
      since: started,
      timeoutMs: 30_000,
      process: child,
    });
    return {
      name: 'ccr',
      url,
      process: child,
      readyMs,
      stop: async () => {
        await child.stop();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await child.stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}
