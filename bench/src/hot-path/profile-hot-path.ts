/**
 * `node --conditions=@conduit/source --import tsx src/hot-path/profile-hot-path.ts <scenario id>
 * [seconds] [profile dir]`: serves one overhead scenario through the built CLI gateway under
 * `node --cpu-prof` and prints the top functions by self time and the request rate. With a
 * profile directory the `.cpuprofile` is kept there (for a flame graph); otherwise it is removed.
 */
import { startConduit, startMockProcess } from '../lib/gateways.js';
import { resolveFixturesDirectory } from '../lib/bench-paths.js';
import { createProfileDirectory, summarizeCPUProfile } from '../sections/cpu-profile.js';
import { createSmallRequest, readClaudeCodeRequest } from '../sections/bench-requests.js';
import {
  createOverheadScenarios,
  createStreamScenarios,
  runThroughGateway,
} from '../sections/overhead.js';

const [scenarioId = 'claude-code/openai/json/c1', seconds = '4', keepDirectory] =
  process.argv.slice(2);
const scenario = [...createOverheadScenarios(), ...createStreamScenarios()].find(
  candidate => candidate.id === scenarioId,
);
if (!scenario) throw new Error(`no scenario ${scenarioId}`);
const request =
  scenario.body === 'small'
    ? createSmallRequest()
    : readClaudeCodeRequest(resolveFixturesDirectory());
const directory = keepDirectory
  ? { directory: keepDirectory, read: undefined, remove: () => {} }
  : createProfileDirectory();
const mock = await startMockProcess();
try {
  const gateway = await startConduit({
    mockURL: mock.url,
    nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory.directory}`],
  });
  try {
    const numbers = await runThroughGateway(scenario, request, gateway.url, {
      warmupMs: 500,
      durationMs: Number(seconds) * 1000,
    });
    process.stdout.write(
      `${scenarioId}: ${numbers.requests} requests, ${numbers.requestsPerSecond.toFixed(1)} req/s, median ${numbers.medianMs.toFixed(3)} ms, errors ${numbers.errors}\n`,
    );
  } finally {
    await gateway.stop();
  }
  if (directory.read) {
    for (const entry of summarizeCPUProfile(directory.read(), 30)) {
      process.stdout.write(
        `${entry.selfPercent.toFixed(1).padStart(5)}% ${entry.selfMs.toFixed(0).padStart(6)} ms  ${entry.function}\n`,
      );
    }
  }
} finally {
  await mock.stop();
  directory.remove();
}
