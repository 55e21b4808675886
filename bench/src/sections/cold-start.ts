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

/** The time to the first `/health` 200 of one start, stopped again before it returns. */
async function timeStart(start: () => Promise<RunningServer>): Promise<number> {
  const server = await start();
  await server.stop();
  return server.readyMs;
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
  // The three kinds take turns run by run, so a slow minute of the machine slows each of them alike
  // (measured one kind after another, the no-config and with-config medians once differed by 41 ms
  // with 5 million instructions between them).
  const nodeFloor: number[] = [];
  const noConfig: number[] = [];
  const withConfig: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    nodeFloor.push(await timeStart(startBareNode));
    noConfig.push(await timeStart(() => startConduit()));
    withConfig.push(await timeStart(() => startConduit({ mockURL: options.mockURL })));
  }
  return {
    noConfigMs: summarize(noConfig),
    withConfigMs: summarize(withConfig),
    nodeFloorMs: summarize(nodeFloor),
    runs: options.runs,
  };
}
