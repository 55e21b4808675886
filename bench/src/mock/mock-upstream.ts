import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type MockAnswerSize,
  type MockProtocol,
  type RenderedAnswer,
  createBenchAnswer,
  renderAnswer,
} from './mock-answers.js';

/**
 * What a request path asks of the mock. Paths are `/<flags>/v1/chat/completions` (OpenAI) or
 * `/<flags>/v1/messages` (Anthropic), flags being any of `delay-<ms>` (wait before the status
 * line), `long` (a long text + tool-call answer), `paced` (a medium answer whose SSE frames are
 * written one per millisecond, like a fast model).
 */
export interface MockRoute {
  protocol: MockProtocol;
  size: MockAnswerSize;
  delayMs: number;
  paced: boolean;
}

/** Parses a mock path; null when the path is not one the mock serves. */
export function parseMockRoute(path: string): MockRoute | null {
  const pathname = path.split('?')[0] as string;
  let protocol: MockProtocol;
  let prefix: string;
  if (pathname.endsWith('/v1/chat/completions')) {
    protocol = 'openai';
    prefix = pathname.slice(0, -'/v1/chat/completions'.length);
  } else if (pathname.endsWith('/v1/messages')) {
    protocol = 'anthropic';
    prefix = pathname.slice(0, -'/v1/messages'.length);
  } else {
    return null;
  }
  const route: MockRoute = { protocol, size: 'small', delayMs: 0, paced: false };
  for (const flag of prefix.split('/').filter(segment => segment !== '')) {
    const delay = /^delay-(\d{1,5})$/.exec(flag);
    if (delay) route.delayMs = Number(delay[1]);
    else if (flag === 'long') route.size = 'long';
    else if (flag === 'paced') {
      route.size = 'medium';
      route.paced = true;
    } else return null;
  }
  return route;
}

/** Spacing of paced SSE frames. */
export const pacedFrameIntervalMs = 1;
const streamFlag = /"stream"\s*:\s*true/;
const sleep = (milliseconds: number) =>
  new Promise<void>(resolve => setTimeout(resolve, milliseconds));

/** A running mock upstream. */
export interface MockUpstream {
  url: string;
  port: number;
  /** Requests answered so far (by protocol). */
  readonly counts: Record<MockProtocol, number>;
  close(): Promise<void>;
}

/**
 * Writes frame `i` at `start + i` ms (several at once when behind), so a paced stream lasts the same
 * time whatever the timer jitter: direct and gateway runs stay comparable on a busy machine.
 */
async function answerPaced(response: ServerResponse, frames: Buffer[]): Promise<void> {
  const started = performance.now();
  for (const [index, frame] of frames.entries()) {
    if (response.destroyed) return;
    const wait = started + index * pacedFrameIntervalMs - performance.now();
    if (wait >= 1) await sleep(wait);
    response.write(frame);
  }
  response.end();
}

/**
 * Starts the bench's mock upstream on 127.0.0.1 (a free port unless `port` is given). It answers
 * from pre-rendered buffers, so it costs as little CPU as a Node HTTP server can; it reads the
 * whole request body first, as a real upstream does, and answers in SSE when the body asks for
 * `"stream": true`.
 */
export async function startMockUpstream(options: { port?: number } = {}): Promise<MockUpstream> {
  const rendered = new Map<string, RenderedAnswer>();
  const answerFor = (protocol: MockProtocol, size: MockAnswerSize): RenderedAnswer => {
    const key = `${protocol}:${size}`;
    let answer = rendered.get(key);
    if (!answer) {
      answer = renderAnswer(protocol, createBenchAnswer(size));
      rendered.set(key, answer);
    }
    return answer;
  };
  const counts: Record<MockProtocol, number> = { openai: 0, anthropic: 0 };
  const sockets = new Set<Socket>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = request.url ?? '/';
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
      return;
    }
    const route = request.method === 'POST' ? parseMockRoute(path) : null;
    if (!route) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        `{"error":{"message":"the bench mock does not serve ${request.method} ${path}"}}`,
      );
      return;
    }
    counts[route.protocol]++;
    const body = Buffer.concat(chunks).toString('latin1');
    const answer = answerFor(route.protocol, route.size);
    if (route.delayMs > 0) await sleep(route.delayMs);
    if (response.destroyed) return;
    if (!streamFlag.test(body)) {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': answer.json.length,
      });
      response.end(answer.json);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (route.paced) await answerPaced(response, answer.frames);
    else response.end(answer.stream);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
