/**
 * Recognises the plain forms of `conduit start` (as the user types them and as `conduit start
 * --daemon` spawns its child) so `bin.ts` can start the gateway without loading yargs and every
 * command. Anything else — `--help`, `--port=1`, a repeated option, a value yargs would reject or
 * coerce differently — returns `undefined`, and the full parser handles it exactly as before.
 * @module
 */

/** The arguments of `conduit start`, as its yargs command module receives them. */
export interface StartArguments {
  config?: string;
  port?: number;
  host?: string;
  daemon?: boolean;
  'daemon-child'?: boolean;
}

const valueOptions: Readonly<Record<string, 'config' | 'port' | 'host'>> = {
  '--config': 'config',
  '-c': 'config',
  '--port': 'port',
  '-p': 'port',
  '--host': 'host',
};
const flagOptions: Readonly<Record<string, 'daemon' | 'daemon-child'>> = {
  '--daemon': 'daemon',
  '-d': 'daemon',
  '--daemon-child': 'daemon-child',
};
/** A port yargs reads as the same integer (no sign, no leading zero, no exponent). */
const plainPort = /^(0|[1-9]\d{0,4})$/;

/**
 * `args` (without `node` and the script) as {@link StartArguments} when they are `start` with only
 * `--config/-c <file>` (also before `start`), `--port/-p <n>`, `--host <h>`, `--daemon/-d` and
 * `--daemon-child`, each at most once; otherwise `undefined`.
 */
export function parseStartArguments(args: readonly string[]): StartArguments | undefined {
  let index = 0;
  const parsed: StartArguments = { daemon: false };
  const seen = new Set<string>();
  const readValue = (name: 'config' | 'port' | 'host'): boolean => {
    const value = args[index + 1];
    if (seen.has(name) || value === undefined || value === '' || value.startsWith('-')) {
      return false;
    }
    seen.add(name);
    if (name === 'port') {
      if (!plainPort.test(value) || Number(value) > 65535) return false;
      parsed.port = Number(value);
    } else {
      parsed[name] = value;
    }
    index += 2;
    return true;
  };
  const first = args[0];
  if ((first === '--config' || first === '-c') && !readValue('config')) return undefined;
  if (args[index] !== 'start') return undefined;
  index++;
  while (index < args.length) {
    const token = args[index] as string;
    const valueOption = valueOptions[token];
    const flagOption = flagOptions[token];
    if (valueOption) {
      if (!readValue(valueOption)) return undefined;
    } else if (flagOption && !seen.has(flagOption)) {
      seen.add(flagOption);
      parsed[flagOption] = true;
      index++;
    } else {
      return undefined;
    }
  }
  return parsed;
}
