import type { MessagesRequest } from '@conduit/core';
import { startConduit } from '../lib/gateways.js';
import {
  type GatewayProfile,
  createProfileDirectory,
  createSourceResolver,
  groupCPUProfile,
  summarizeCPUProfile,
} from './cpu-profile.js';
import { type OverheadScenario, runThroughGateway } from './overhead.js';

/** Microseconds on the monotonic clock V8 stamps its profile samples with. */
const monotonicMicroseconds = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Starts a gateway under `node --cpu-prof`, serves `scenario` for `warmUpMs` (V8 compiles the hot
 * path meanwhile) and then for `durationMs`, stops it so V8 writes the profile, and returns the
 * top functions and areas by self time over the `durationMs` part only, named by their original
 * source through the bundle's source maps.
 */
export async function profileGateway(options: {
  mockURL: string;
  scenario: OverheadScenario;
  request: MessagesRequest;
  durationMs: number;
  warmUpMs?: number;
  top?: number;
}): Promise<GatewayProfile> {
  const directory = createProfileDirectory();
  const warmUpMs = options.warmUpMs ?? 4000;
  try {
    const gateway = await startConduit({
      mockURL: options.mockURL,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory.directory}`],
    });
    let requests = 0;
    let since = 0;
    let until = 0;
    try {
      await runThroughGateway(options.scenario, options.request, gateway.url, {
        warmupMs: 0,
        durationMs: warmUpMs,
      });
      since = monotonicMicroseconds();
      const numbers = await runThroughGateway(options.scenario, options.request, gateway.url, {
        warmupMs: 0,
        durationMs: options.durationMs,
      });
      until = monotonicMicroseconds();
      requests = numbers.requests;
    } finally {
      await gateway.stop();
    }
    const profile = directory.read();
    const summary = {
      sinceMicroseconds: since,
      untilMicroseconds: until,
      resolveSource: createSourceResolver(),
    };
    return {
      scenario: `${options.scenario.id} for ${options.durationMs / 1000} s`,
      requests,
      warmUpMs,
      entries: summarizeCPUProfile(profile, options.top ?? 15, summary),
      areas: groupCPUProfile(profile, { ...summary, top: 12 }),
    };
  } finally {
    directory.remove();
  }
}
