/**
 * The status line's own entry, built as CommonJS (`dist/statusline.cjs`): the command `conduit
 * code` gives Claude Code, which runs it on every status line refresh. Node's ES module loader
 * (resolving, reading and linking the ESM bin and its chunk) costs more than the status line's own
 * work, so this entry skips it; `conduit statusline` through the bin prints the same line.
 *
 *   node dist/statusline.cjs [--config <file>]
 * @module
 */
import { parseStatusLineArguments, runStatusLine } from './run-statusline.js';

void runStatusLine(parseStatusLineArguments(process.argv.slice(2))).then(code => {
  // Exit at once: nothing may keep Claude Code waiting (an idle socket, a stdin left open).
  process.exit(code);
});
