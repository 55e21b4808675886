import type { ModelPrice } from '@conduit/core';

/** Token counts to price. `inputTokens` excludes cache reads and writes (Anthropic's convention). */
export interface BillableTokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

const perMillion = 1_000_000;

/**
 * Cost in USD of one request. Cache reads and cache writes are priced separately; a price without
 * `cacheRead`/`cacheWrite` bills them at the input rate (the conservative choice).
 *
 * @example
 * computeCost({ inputTokens: 1000, outputTokens: 500, cacheReadTokens: 0, cacheWriteTokens: 0 },
 *   { input: 3, output: 15 }); // 0.0105
 */
export function computeCost(tokens: BillableTokens, price: ModelPrice): number {
  return (
    (tokens.inputTokens * price.input +
      tokens.outputTokens * price.output +
      tokens.cacheReadTokens * (price.cacheRead ?? price.input) +
      tokens.cacheWriteTokens * (price.cacheWrite ?? price.input)) /
    perMillion
  );
}
