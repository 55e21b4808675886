import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  type HeadersSource,
  NodeResponse,
  type ResponseParts,
  defaultContentType,
} from './node-response.js';

/**
 * Writes a web stream to the Node response with backpressure (the next chunk is read only after
 * the socket took the last one), and cancels the stream when the response closes first.
 */
function writeStream(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  outgoing: ServerResponse,
  pendingRead?: Promise<ReadableStreamReadResult<Uint8Array>>,
): Promise<void> {
  const cancel = (error?: unknown) => {
    reader.cancel(error).catch(() => {});
  };
  if (outgoing.destroyed) {
    cancel();
    return reader.closed;
  }
  outgoing.on('close', cancel);
  outgoing.on('error', cancel);
  const failed = (error: unknown) => {
    if (error) outgoing.destroy(error as Error);
  };
  const onDrain = () => {
    reader.read().then(flow, failed);
  };
  const flow = ({ done, value }: ReadableStreamReadResult<Uint8Array>) => {
    try {
      if (done) outgoing.end();
      else if (!outgoing.write(value)) outgoing.once('drain', onDrain);
      else reader.read().then(flow, failed);
    } catch (error) {
      failed(error);
    }
  };
  (pendingRead ?? reader.read()).then(flow, failed);
  return reader.closed.finally(() => {
    outgoing.off('close', cancel);
    outgoing.off('error', cancel);
  });
}

/** A failure after the answer started (a stream that errored): logged, and the socket ends. */
function failResponse(error: unknown, outgoing: ServerResponse): void {
  const failure = error instanceof Error ? error : new Error('unknown error', { cause: error });
  if ((failure as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
  console.error(error);
  if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
  outgoing.end(`Error: ${failure.message}`);
  outgoing.destroy(failure);
}

const isHeadersObject = (headers: HeadersSource): headers is Headers =>
  typeof (headers as Headers).get === 'function' &&
  typeof (headers as Headers).forEach === 'function';

/** A `Headers` as Node's header record (`set-cookie` kept as separate values). */
function recordOf(headers: Headers, withBody: boolean): OutgoingHttpHeaders {
  const record: OutgoingHttpHeaders = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') record[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record['set-cookie'] = cookies;
  if (withBody) record['content-type'] ??= defaultContentType;
  return record;
}

function byteLengthOf(body: ResponseParts['body']): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  if (body instanceof Blob) return body.size;
  return undefined;
}

/** Writes a light response's parts as they are: a plain header record goes to Node unchanged. */
async function writeParts(parts: ResponseParts, outgoing: ServerResponse): Promise<void> {
  const { status, body } = parts;
  const withBody = body !== null;
  let record: OutgoingHttpHeaders;
  let copied = false;
  if (parts.headers === undefined) {
    record = withBody ? { 'content-type': defaultContentType } : {};
    copied = true;
  } else if (Array.isArray(parts.headers)) {
    record = recordOf(new Headers(parts.headers), withBody);
    copied = true;
  } else if (isHeadersObject(parts.headers)) {
    record = recordOf(parts.headers, withBody);
    copied = true;
  } else {
    record = parts.headers;
  }
  const length = byteLengthOf(body);
  if (length !== undefined && !hasHeader(record, 'content-length')) {
    record = copied ? record : { ...record };
    record['content-length'] = length;
  }
  outgoing.writeHead(status, record);
  if (body === null) outgoing.end();
  else if (typeof body === 'string' || body instanceof Uint8Array) outgoing.end(body);
  else if (body instanceof Blob) outgoing.end(new Uint8Array(await body.arrayBuffer()));
  else {
    const reader = body.getReader();
    const pendingRead = reader.read();
    // A first chunk already in hand goes out with the headers, in one write instead of two (a
    // socket write is tens of µs here); a stream still waiting for its first chunk gets its
    // headers at once, so the client sees the answer begin.
    // (A failed read is left to `writeStream`, which reports it as before.)
    const first = await settledRead(pendingRead).catch(() => undefined);
    if (first === undefined && outgoing.writable) {
      outgoing.flushHeaders();
    }
    await writeStream(reader, outgoing, pendingRead).catch(error => failResponse(error, outgoing));
  }
}

function hasHeader(record: OutgoingHttpHeaders, lowerName: string): boolean {
  if (lowerName in record) return true;
  for (const name in record) {
    // Only a name of the same length can match: most are not lower-cased at all.
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return true;
  }
  return false;
}

/** A read that has already settled, else undefined (without waiting for the stream). */
async function settledRead<T>(read: Promise<T>): Promise<T | undefined> {
  return Promise.race([read, Promise.resolve().then(() => Promise.resolve(undefined))]);
}

/**
 * Writes a real `Response` (or one that became real): a body already complete after a read or two
 * gets a `content-length`, any other streams with backpressure.
 */
async function writeWebResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const record = recordOf(response.headers, response.body !== null);
  if (!response.body) {
    outgoing.writeHead(response.status, record);
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let done = false;
  let pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  if (record['transfer-encoding'] !== 'chunked') {
    let maxReads = 2;
    for (let index = 0; index < maxReads; index++) {
      pendingRead ??= reader.read();
      const chunk = await settledRead(pendingRead);
      if (!chunk) {
        if (index === 1) {
          // Give a body made by a timer-free producer one more turn to finish.
          await new Promise(resolve => setTimeout(resolve));
          maxReads = 3;
          continue;
        }
        break;
      }
      pendingRead = undefined;
      if (chunk.value) chunks.push(chunk.value);
      if (chunk.done) {
        done = true;
        break;
      }
    }
    if (done && !('content-length' in record)) {
      record['content-length'] = chunks.reduce((total, chunk) => total + chunk.length, 0);
    }
  }
  outgoing.writeHead(response.status, record);
  for (const chunk of chunks) outgoing.write(chunk);
  if (done) {
    outgoing.end();
    return;
  }
  if (chunks.length === 0 && outgoing.writable) outgoing.flushHeaders();
  await writeStream(reader, outgoing, pendingRead);
}

/** Writes the app's answer to the Node response. Never rejects: a failure ends the socket. */
export async function writeNodeResponse(
  response: Response,
  outgoing: ServerResponse,
): Promise<void> {
  try {
    const parts = NodeResponse.isNodeResponse(response)
      ? NodeResponse.partsOf(response)
      : undefined;
    if (parts) await writeParts(parts, outgoing);
    else await writeWebResponse(response, outgoing);
  } catch (error) {
    failResponse(error, outgoing);
  }
}
