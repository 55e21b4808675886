/**
 * Keeps V8's young generation at its initial size while the gateway starts.
 *
 * Nearly everything allocated while the bundle loads and the gateway is built lives for the whole
 * process (modules, schemas, routes), so a large young generation does not save work then: it
 * only grows (to 16 MB by default) and stays resident while the gateway idles (5 MB of the idle
 * RSS). Requests are different: their objects die young, and V8 grows the young generation for
 * them as usual once the gateway listens (up to `--max-semi-space-size`, which the daemon sets).
 * V8 reads this flag each time it considers growing the young generation, so it can be changed at
 * run time. A growth factor chosen on the command line or in `NODE_OPTIONS` is left alone.
 * `node:v8` is loaded by the first call, not by importing this module: `bin.ts` imports it for
 * every command, and only `start` holds the young generation.
 * @module
 */
const flag = '--semi-space-growth-factor';
/** V8's default (`node --v8-options`). */
const defaultGrowthFactor = 2;

/** Stops the young generation from growing; the returned function lets it grow again. */
export function holdYoungGeneration(
  execArgv: readonly string[] = process.execArgv,
  env: NodeJS.ProcessEnv = process.env,
): () => void {
  if (`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`.includes(flag)) return () => {};
  const { setFlagsFromString } = process.getBuiltinModule('node:v8');
  setFlagsFromString(`${flag}=1`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    setFlagsFromString(`${flag}=${defaultGrowthFactor}`);
  };
}
