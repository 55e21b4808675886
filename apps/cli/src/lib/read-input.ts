import { readFile } from 'node:fs/promises';
import { CLIError } from './cli-error.js';

/**
 * Reads a whole file, or standard input when `source` is `-` or missing (yargs hands a lone `-`
 * positional over as an empty string).
 */
export async function readTextInput(
  source: string | undefined,
): Promise<{ text: string; name: string }> {
  if (source === undefined || source === '-' || source === '') {
    if (process.stdin.isTTY) {
      throw new CLIError({
        message:
          'no input: give a file, or pipe a request into standard input (e.g. `conduit route - < request.json`)',
        exitCode: 64,
      });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
    return { text: Buffer.concat(chunks).toString('utf8'), name: 'standard input' };
  }
  try {
    return { text: await readFile(source, 'utf8'), name: source };
  } catch (error) {
    throw new CLIError({
      message: `cannot read ${source}: ${(error as Error).message}`,
      cause: error,
    });
  }
}
