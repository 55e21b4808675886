import { once } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

const healthRequest = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n';

/**
 * The stall this test reproduces: longer than Node's default keep-alive timeout (5 s, which Node 20
 * enforces 1 s late to soften this very race).
 */
const eventLoopStallMs = 7_000;

/** Whether `text` holds one complete HTTP response (length-delimited or chunked). */
function isCompleteResponse(text: string): boolean {
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return false;
  const head = text.slice(0, headerEnd).toLowerCase();
  const body = text.slice(headerEnd + 4);
  const length = /\r\ncontent-length: *(\d+)/.exec(head);
  if (length) return Buffer.byteLength(body) >= Number(length[1]);
  return /\r\ntransfer-encoding: *chunked/.test(head) ? body.endsWith('0\r\n\r\n') : false;
}

/** What arrives on `socket` until one complete response, or until the connection ends. */
function nextResponse(socket: Socket): Promise<string> {
  return new Promise(resolve => {
    let received = '';
    const finish = () => {
      socket.off('data', onData);
      socket.off('close', finish);
      socket.off('error', onError);
      resolve(received);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      if (isCompleteResponse(received)) finish();
    };
    const onError = (error: Error) => {
      received += `[${(error as NodeJS.ErrnoException).code ?? error.message}]`;
      finish();
    };
    socket.on('data', onData);
    socket.on('close', finish);
    socket.on('error', onError);
  });
}

describe('a keep-alive connection while the event loop stalls', () => {
  let gateway: Gateway;

  beforeAll(async () => {
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'claude',
        api_base_url: 'http://127.0.0.1:9',
        models: ['claude-upstream'],
        transformer: { use: ['Anthropic'] },
      }),
    );
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('answers the next request the client sent just before a stall, instead of resetting', async () => {
    const { port } = new URL(gateway.baseURL);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    try {
      const first = nextResponse(socket);
      socket.write(healthRequest);
      const firstResponse = await first;
      expect(firstResponse).toMatch(/^HTTP\/1\.1 200 /);
      // Clients such as undici keep an idle connection for what the server advertises.
      expect(firstResponse).toMatch(/\r\nkeep-alive: timeout=65\r\n/i);

      // The gateway runs in this process: the request goes out (a socket write reaches the kernel
      // at once), then one synchronous task holds the event loop longer than Node's default idle
      // timeout, as a CPU-heavy request does under load. The gateway reads the request only after.
      const second = nextResponse(socket);
      socket.write(healthRequest);
      const stallEnd = Date.now() + eventLoopStallMs;
      while (Date.now() < stallEnd) {
        // busy-wait: the stall under test
      }
      expect(await second).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      socket.destroy();
    }
  }, 15_000);
});
