import type { MessagesRequest } from '@conduit/core';
import { startConduit } from '../lib/gateways.js';
import { type GatewayProfile, createProfileDirectory, summarizeCPUProfile } from './cpu-profile.js';
import { type OverheadScenario, runThroughGateway } from './overhead.js';

/**
 * Starts a gateway under `node --cpu-prof`, serves `scenario` for `durationMs` (after a 500 ms
 * warm-up), stops it so V8 writes the profile, and returns the top functions by self time.
 */
export async function profileGateway(options: {
  mockURL: string;
  scenario: OverheadScenario;
  request: MessagesRequest;
  durationMs: number;
  top?: number;
}): Promise<GatewayProfile> {
  const directory = createProfileDirectory();
  try {
    const gateway = await startConduit({
      mockURL: options.mockURL,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${directory.directory}`],
    });
    let requests = 0;
    try {
      const numbers = await runThroughGateway(options.scenario, options.request, gateway.url, {
        warmupMs: 500,
        durationMs: options.durationMs,
      });
      requests = numbers.requests;
    } finally {
      await gateway.stop();
    }
    return {
      scenario: `${options.scenario.id} for ${options.durationMs / 1000} s`,
      requests,
      entries: summarizeCPUProfile(directory.read(), options.top ?? 15),
    };
  } finally {
    directory.remove();
  }
}
