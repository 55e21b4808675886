/**
 * Test helper: a deterministic random generator (a 32-bit linear congruential one), so a
 * randomized test that fails reproduces with the same seed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
