/**
 * Runs the gateway the way `run()` users do (signal handlers installed), for the graceful shutdown
 * test: `node --conditions=@conduit/source --import tsx run-gateway.ts <config.json>`. Prints one
 * JSON line `{ "url": ... }` once listening.
 */
import { runConduit } from '../run-conduit.js';

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: run-gateway.ts <config.json>');
const server = await runConduit({ configPath, port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
