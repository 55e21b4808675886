import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as a mock provider received it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The body exactly as received. */
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  /** Set when the mock's own handler threw on this request (it then answered 500 with this text). */
  handlerError?: string;
}

/**
 * A scripted answer. Fault injection: `delayMs` before the status line, `status` + `headers`
 * (e.g. `retry-after`), `cutAfterFrames` to destroy the connection mid-stream, `hang` to never
 * answer, `type: 'raw'` for malformed bodies.
 */
export type MockResponse =
  | {
      type: 'json';
      body: unknown;
      status?: number;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | {
      type: 'sse';
      /** Complete SSE frames (`event: x\ndata: {...}\n\n`), written one by one. */
      frames: string[];
      status?: number;
      headers?: Record<string, string>;
      delayMs?: number;
      /** Pause between frames. */
      frameDelayMs?: number;
      /** Destroy the socket after writing this many frames. */
      cutAfterFrames?: number;
    }
  | {
      type: 'raw';
      body: string;
      status?: number;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | { type: 'hang' };

/** Chooses the answer for a request; used when the queue is empty. */
export type MockResponder = (request: RecordedRequest) => MockResponse;

/** A recording HTTP server on 127.0.0.1 with a queue of scripted responses. */
export interface MockHTTPServer {
  url: string;
  port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /**
   * Errors the mock's own handler threw (a responder that failed, say), in order. Each one was
   * answered with a 500 carrying its text, so the code under test sees it instead of hanging.
   */
  readonly handlerErrors: string[];
  /** Queues answers for the next requests (first in, first out). */
  enqueue(...responses: MockResponse[]): void;
  /** Sets the answer used when the queue is empty. */
  setDefaultResponder(responder: MockResponder): void;
  /**
   * Resolves once `count` request connections have closed (for client-disconnect tests); rejects
   * after `timeoutMs` (default 20 s) with what the mock saw, so a test fails naming the cause.
   */
  waitForClosedConnections(count: number, timeoutMs?: number): Promise<void>;
  /** Clears recorded requests and queued answers. */
  reset(): void;
  close(): Promise<void>;
}

const sleep = (milliseconds: number) =>
  new Promise<void>(resolve => setTimeout(resolve, milliseconds).unref());

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** The 500 a mock answers when its own handler throws: the error text, in Anthropic's shape. */
function answerHandlerError(response: ServerResponse, text: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(500, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      type: 'error',
      error: { type: 'api_error', message: `mock provider handler threw: ${text}` },
    }),
  );
}

function tryParseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function writeResponse(
  response: ServerResponse,
  answer: MockResponse,
  isClosed: () => boolean,
): Promise<void> {
  if (answer.type === 'hang') return;
  if (answer.delayMs) await sleep(answer.delayMs);
  if (isClosed()) return;
  const status = answer.status ?? 200;
  if (answer.type === 'json') {
    response.writeHead(status, { 'content-type': 'application/json', ...answer.headers });
    response.end(JSON.stringify(answer.body));
    return;
  }
  if (answer.type === 'raw') {
    response.writeHead(status, { 'content-type': 'application/json', ...answer.headers });
    response.end(answer.body);
    return;
  }
  response.writeHead(status, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...answer.headers,
  });
  response.flushHeaders();
  for (const [index, frame] of answer.frames.entries()) {
    if (answer.cutAfterFrames !== undefined && index >= answer.cutAfterFrames) {
      response.socket?.destroy();
      return;
    }
    if (isClosed()) return;
    // Wait for the frame to reach the socket, so a cut after it really delivers it first.
    await new Promise<void>(resolve => response.write(frame, () => resolve()));
    if (answer.frameDelayMs) await sleep(answer.frameDelayMs);
  }
  response.end();
}

/**
 * Starts a recording mock server on 127.0.0.1 (a free port). Answers come from the queue, then
 * from the default responder (a 500 until one is set).
 */
export async function startMockHTTPServer(): Promise<MockHTTPServer> {
  const requests: RecordedRequest[] = [];
  const handlerErrors: string[] = [];
  const queue: MockResponse[] = [];
  const sockets = new Set<Socket>();
  let closedConnections = 0;
  let closeWaiters: Array<{ count: number; resolve: () => void }> = [];
  let defaultResponder: MockResponder = () => ({
    type: 'json',
    status: 500,
    body: { error: { message: 'mock provider has no scripted response' } },
  });

  const server = createServer(async (request, response) => {
    let closed = false;
    response.on('close', () => {
      closed = true;
      closedConnections++;
      closeWaiters = closeWaiters.filter(waiter => {
        if (closedConnections < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
    let recorded: RecordedRequest | undefined;
    try {
      const rawBody = await readBody(request);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const url = request.url ?? '/';
      recorded = {
        method: request.method ?? 'GET',
        url,
        path: url.split('?')[0]!,
        headers,
        rawBody,
        json: tryParseJSON(rawBody),
      };
      requests.push(recorded);
      const answer = queue.shift() ?? defaultResponder(recorded);
      await writeResponse(response, answer, () => closed);
    } catch (error) {
      if (closed) return; // the client went away: nothing to answer, nothing the mock did wrong
      const text = errorText(error);
      handlerErrors.push(text);
      if (recorded) recorded.handlerError = text;
      answerHandlerError(response, text);
    }
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    handlerErrors,
    enqueue: (...responses) => queue.push(...responses),
    setDefaultResponder: responder => {
      defaultResponder = responder;
    },
    waitForClosedConnections: (count, timeoutMs = 20_000) => {
      if (closedConnections >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          closeWaiters = closeWaiters.filter(other => other !== waiter);
          const errors = handlerErrors.length
            ? `; handler errors: ${handlerErrors.join(' | ')}`
            : '';
          reject(
            new Error(
              `mock provider ${url}: waited ${timeoutMs} ms for ${count} closed connection(s), saw ${closedConnections} after ${requests.length} request(s)${errors}`,
            ),
          );
        }, timeoutMs);
        timer.unref();
        closeWaiters.push(waiter);
      });
    },
    reset: () => {
      requests.length = 0;
      handlerErrors.length = 0;
      queue.length = 0;
    },
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
