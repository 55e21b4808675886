import type { MachineInfo } from './lib/machine-info.js';
import type { Summary } from './lib/statistics.js';
import type { ColdStartResult } from './sections/cold-start.js';
import type { GatewayProfile } from './sections/cpu-profile.js';
import type { MemoryResult } from './sections/memory.js';
import type { OverheadResult } from './sections/overhead.js';
import type { RoutingVsCLIResult } from './sections/routing-vs-cli.js';
import type { TranslationThroughput } from './sections/stream-translation.js';
import type { TargetCheck } from './sections/targets.js';
import type { TokenCounterResult } from './sections/token-counter.js';
import type { WarmUpResult } from './sections/warm-up.js';

/** Everything one `pnpm bench` run measured (`bench/results/latest.json`). */
export interface BenchResults {
  mode: 'full' | 'smoke';
  machine: MachineInfo;
  /** 1/5/15-minute load average when the run ended (other work on the machine skews the numbers). */
  loadAverageAtEnd: number[];
  /** Wall time of the whole run. */
  durationSeconds: number;
  caveats: string[];
  /** The warm-up every gateway got before the overhead rows (absent in results from before it). */
  warmUp?: WarmUpResult;
  /** Gateway overhead matrix; `gateways.conduit` and, when measured, `gateways.ccr`. */
  overhead: OverheadResult[];
  streaming: {
    inProcess: { stateMachine: TranslationThroughput; adapter: TranslationThroughput };
    /** Long and paced streams end to end (same shape as the overhead rows). */
    endToEnd: OverheadResult[];
  };
  tokenCounter: TokenCounterResult;
  routing: RoutingVsCLIResult;
  memory: MemoryResult;
  /** The same load (a quarter of the requests) with the gateway's heap capped. */
  cappedHeapMemory: MemoryResult & { nodeFlags: string[] };
  coldStart: ColdStartResult;
  ccr: {
    version: string;
    status: 'measured' | 'skipped';
    note: string;
    idleMB: number | null;
    coldStartMs: Summary | null;
  };
  /** CPU profiles of the gateway (top functions by self time). */
  profiles: GatewayProfile[];
  targets: TargetCheck[];
}
