import type { IncomingMessage } from 'node:http';

const clientClosedMessage = 'Client connection prematurely closed.';
const byteExactEncodings = new Set([null, 'latin1', 'binary', 'hex', 'base64', 'base64url']);

const toBuffer = (chunk: Buffer | string, encoding: BufferEncoding | null) =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding ?? 'utf8');

/**
 * The body a client sent in full before it went away (it may close its side right after the
 * request; Node then aborts the stream with the bytes still buffered), or undefined when it did
 * not arrive whole.
 */
function bodyBufferedBeforeDisconnect(
  incoming: IncomingMessage,
  chunks: Buffer[],
): Buffer | Error | undefined {
  if (
    !incoming.complete ||
    !incoming.readableAborted ||
    !byteExactEncodings.has(incoming.readableEncoding)
  ) {
    return undefined;
  }
  const errored = incoming.errored as NodeJS.ErrnoException | null;
  if (errored && errored.code !== 'ECONNRESET') return errored;
  for (let chunk = incoming.read(); chunk !== null; chunk = incoming.read()) {
    chunks.push(toBuffer(chunk, incoming.readableEncoding));
  }
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const declared = incoming.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) !== body.length) {
    return new TypeError('Body is unusable');
  }
  return body;
}

/**
 * Reads a Node request's body into one `Buffer` (no web stream, no copies but the final concat).
 * Rejects when the client goes before the body is complete, or the body was read already.
 */
export function readIncomingBody(incoming: IncomingMessage): Promise<Buffer> {
  if (incoming.readableDidRead) return Promise.reject(new TypeError('Body is unusable'));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (outcome: Buffer | Error) => {
      if (settled) return;
      settled = true;
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const failed = (error: Error) =>
      settle(bodyBufferedBeforeDisconnect(incoming, chunks) ?? error);
    const onData = (chunk: Buffer | string) =>
      chunks.push(toBuffer(chunk, incoming.readableEncoding));
    const onEnd = () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    const onError = (error: Error) => failed(error);
    const onClose = () => {
      if (incoming.readableEnded) onEnd();
      else failed((incoming.errored as Error | null) ?? new Error(clientClosedMessage));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
    // A stream that ended or closed before this read emits nothing more.
    queueMicrotask(() => {
      if (settled) return;
      if (incoming.readableEnded) onEnd();
      else if (incoming.errored) onError(incoming.errored as Error);
      else if (incoming.destroyed) onClose();
    });
  });
}
