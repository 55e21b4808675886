/**
 * The mock upstream as its own process, so it does not share an event loop with the load client or
 * the gateway. Prints `{"port":N}` on one line once listening; exits when its standard input closes
 * (the bench runner ended) or on SIGTERM.
 */
import { startMockUpstream } from './mock-upstream.js';

const mock = await startMockUpstream();
process.stdout.write(`${JSON.stringify({ port: mock.port })}\n`);
const stop = () => {
  mock.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
