/**
 * Makes sure a healthy Conduit runs, starting the background daemon when none does (what
 * `conduit code` and `conduit ui` need before they can hand out a URL).
 * @module
 */
import { CLIError } from './cli-error.js';
import { resolveConduitPaths } from './conduit-paths.js';
import { spawnDaemon } from './daemon.js';
import { baseURLFor, waitForHealth } from './http-health.js';
import { readInstanceState } from './pid-file.js';

/** Ensures a healthy Conduit runs (starting the daemon when needed) and returns its base URL. */
export async function ensureGatewayRunning(configPath: string | undefined): Promise<string> {
  const state = await readInstanceState(resolveConduitPaths(process.env).pidFile);
  let url: string;
  if (state.state === 'running' && state.info.port !== null) {
    url = baseURLFor(state.info.host, state.info.port);
  } else if (state.state === 'running') {
    throw new CLIError({
      message: `Conduit (PID ${state.info.pid}) is still starting; try again in a moment`,
    });
  } else {
    const address = await spawnDaemon({ configPath });
    process.stderr.write(
      `conduit: started the gateway in the background (PID ${address.pid}) at ${address.url}\n`,
    );
    url = address.url;
  }
  if (!(await waitForHealth(url, 15_000))) {
    throw new CLIError({
      message: `Conduit at ${url} does not answer /health; see \`conduit status\``,
    });
  }
  return url;
}
