/**
 * A Conduit gateway run from the workspace *source* (`createConduitServer`, no CLI build), for the
 * hot-path bench: the same providers as the full bench, a temporary home (usage ledger on), a
 * logger that drops everything (the secret-redacting wrapper still runs). Prints `{"port":N}` once
 * listening; exits when its standard input closes or on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConduitConfigInput } from '@conduit/core';
// The whole gateway (ledger, metrics, plugins), as the bench measured before the server was split.
import { createConduit as createConduitServer } from '@conduit/conduit';
import { createBenchProviders } from '../lib/gateways.js';

const mockURL = process.argv[2];
if (!mockURL) throw new Error('usage: source-gateway-process.ts <mock URL>');
const home = mkdtempSync(join(tmpdir(), 'conduit-hot-path-'));
const server = createConduitServer(
  {
    Providers: createBenchProviders(mockURL),
    Router: { default: 'mock-openai,mock-model' },
  } as ConduitConfigInput,
  { home },
);
const { port } = await server.start({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = () => {
  server
    .stop()
    .finally(() => rmSync(home, { recursive: true, force: true }))
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
