import { findFreePort, startProcess, waitForHTTP200 } from '../lib/processes.js';
import { type RunningServer, startConduit } from '../lib/gateways.js';
import { type Summary, summarize } from '../lib/statistics.js';

/** Spawn → first successful `GET /health`, in milliseconds. */
export interface ColdStartResult {
  /** `conduit start` with an empty `CONDUIT_HOME` (no config file). */
  noConfigMs: Summary;
  /** `conduit start` with the bench config (six providers, usage ledger on). */
  withConfigMs: Summary;
  /** A bare `node:http` server answering 200: the floor any Node gateway pays. */
  nodeFloorMs: Summary;
  runs: number;
}

async function timeStarts(runs: number, start: () => Promise<RunningServer>): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const server = await start();
    times.push(server.readyMs);
    await server.stop();
  }
  return times;
}

async function startBareNode(): Promise<RunningServer> {
  const port = await findFreePort();
  const started = performance.now();
  const child = startProcess(process.execPath, [
    '-e',
    `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`,
  ]);
  const readyMs = await waitForHTTP200(`http://127.0.0.1:${port}/health`, {
    since: started,
    timeoutMs: 10_000,
    process: child,
  });
  return {
    name: 'node',
    url: `http://127.0.0.1:${port}`,
    process: child,
    readyMs,
    stop: async () => {
      await child.stop();
    },
  };
}

/** Medians of `runs` cold starts of each kind. */
export async function measureColdStart(options: {
  runs: number;
  mockURL: string;
}): Promise<ColdStartResult> {
  // One unmeasured start first, so the file system cache holds the bundle for every measured run.
  await (await startConduit()).stop();
  const nodeFloor = await timeStarts(options.runs, startBareNode);
  const noConfig = await timeStarts(options.runs, () => startConduit());
  const withConfig = await timeStarts(options.runs, () =>
    startConduit({ mockURL: options.mockURL }),
  );
  return {
    noConfigMs: summarize(noConfig),
    withConfigMs: summarize(withConfig),
    nodeFloorMs: summarize(nodeFloor),
    runs: options.runs,
  };
}
