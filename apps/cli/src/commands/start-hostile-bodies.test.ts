import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cliBundle, createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';

/**
 * Issue 19: one request must not be able to hold unbounded memory. The built gateway runs with the
 * daemon's semi-space and a smaller old generation than the daemon's 512 MB, and gets a burst of
 * the largest hostile bodies at concurrency 8: megabytes of emoji and accented text (which once
 * became a parse text three times the body), a multi-megabyte run of one letter, and nesting
 * 200,000 levels deep. Every request must get an answer (2xx, or a 4xx in Anthropic's error
 * shape), and the gateway must still serve `/health` afterwards instead of dying out of memory.
 */

const heapFlags = ['--max-semi-space-size=4', '--max-old-space-size=192'];
const concurrency = 8;
const rounds = 4;
const MiB = 1024 * 1024;

const upstreamAnswer = JSON.stringify({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 1 },
});

function hostileBodies(): Buffer[] {
  const base = { model: 'm', max_tokens: 10 };
  const depth = 200_000;
  return [
    JSON.stringify({
      ...base,
      messages: Array.from({ length: Math.floor((5 * MiB) / 330) }, (_, index) => ({
        role: index % 2 ? 'assistant' : 'user',
        content: 'é🤖'.repeat(50),
      })).concat([{ role: 'user', content: 'q' }]),
    }),
    JSON.stringify({ ...base, messages: [{ role: 'user', content: '🤖'.repeat(1.25 * MiB) }] }),
    JSON.stringify({ ...base, messages: [{ role: 'user', content: 'x'.repeat(5 * MiB) }] }),
    `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"t","input_schema":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]}`,
  ].map(text => Buffer.from(text, 'utf8'));
}

/** One POST on its own connection (no keep-alive reuse, so every failure is the gateway's). */
function post(
  port: number,
  body: Buffer,
): Promise<{ status: number; json: unknown } | { error: string }> {
  return new Promise(resolve => {
    const outgoing = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/messages',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'anthropic-version': '2023-06-01',
        },
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () => {
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, json });
        });
        response.on('error', error => resolve({ error: error.message }));
      },
    );
    outgoing.on('error', error => resolve({ error: error.message }));
    outgoing.end(body);
  });
}

describe('the built gateway under a burst of huge hostile bodies', () => {
  let sandbox: Sandbox;
  let upstream: Server;
  let gateway: ChildProcess;
  let port: number;
  let stderr = '';
  let exit: string | undefined;

  beforeAll(async () => {
    sandbox = createSandbox();
    upstream = createServer((incoming, outgoing) => {
      incoming.resume();
      incoming.on('end', () => {
        outgoing.writeHead(200, { 'content-type': 'application/json' });
        outgoing.end(upstreamAnswer);
      });
    });
    await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;
    const configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        Providers: [
          {
            name: 'a',
            api_base_url: `http://127.0.0.1:${upstreamPort}/v1/messages`,
            api_key: 'sk-test',
            models: ['m'],
            transformer: { use: ['Anthropic'] },
          },
        ],
        Router: { default: 'a,m' },
        LOG: false,
      }),
    );
    port = await findFreePort();
    gateway = spawn(
      process.execPath,
      [...heapFlags, cliBundle, 'start', '--port', String(port), '--config', configFile],
      { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    gateway.stderr?.on('data', chunk => {
      stderr += String(chunk);
    });
    gateway.on('exit', (code, signal) => {
      exit = String(code ?? signal);
    });
    let stdout = '';
    gateway.stdout?.on('data', chunk => {
      stdout += String(chunk);
    });
    for (let attempt = 0; attempt < 400 && !stdout.includes('listening'); attempt++) {
      if (exit !== undefined) throw new Error(`the gateway exited (${exit}): ${stderr}`);
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  });

  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await new Promise<void>(resolve => upstream?.close(() => resolve()));
    await sandbox?.dispose();
  });

  it('answers every one with a 2xx or an Anthropic-shaped 4xx and still serves /health', async () => {
    const bodies = hostileBodies();
    const queue = Array.from({ length: rounds * bodies.length }, (_, index) => bodies[index % 4]!);
    const answers: Array<Awaited<ReturnType<typeof post>>> = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let body = queue.shift(); body; body = queue.shift())
          answers.push(await post(port, body));
      }),
    );

    const failures = answers.filter(
      answer =>
        'error' in answer ||
        answer.status >= 500 ||
        (answer.status >= 400 &&
          (answer.json as { type?: string; error?: { type?: string } } | undefined)?.error?.type ===
            undefined),
    );
    expect({ failures, exit, outOfMemory: /heap out of memory/i.test(stderr) }).toEqual({
      failures: [],
      exit: undefined,
      outOfMemory: false,
    });
    expect(answers).toHaveLength(rounds * bodies.length);
    expect(answers.filter(answer => 'status' in answer && answer.status === 200)).toHaveLength(
      rounds * 3,
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});
