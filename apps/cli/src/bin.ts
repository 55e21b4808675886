/**
 * Entry point of the `conduit` and `ccr` binaries.
 * @module
 */
import { runCli } from './cli.js';

const exitCode = await runCli(process.argv.slice(2));
// Exit explicitly: keep-alive sockets of health checks must not hold a finished command open.
process.exit(exitCode);
