import { connect } from 'node:net';

/**
 * GET `url` and parse its JSON body, over a plain TCP socket: `node:http` (its agent, parser and
 * server modules) costs more to load than the rest of the status line, which runs many times a
 * minute. HTTP/1.1 with `Connection: close`; a `Content-Length` or chunked body. Resolves
 * `undefined` on any failure, a non-200 status, or after `timeoutMs`; never rejects.
 */
export function getJSON(
  url: URL,
  options: { timeoutMs: number; token?: string },
): Promise<unknown> {
  return new Promise(resolve => {
    if (url.protocol !== 'http:') {
      resolve(undefined);
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = connect({ host, port: Number(url.port || 80) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (value: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(value ?? undefined);
    };
    const deadline = setTimeout(() => finish(undefined), options.timeoutMs);
    const authorization = options.token ? `Authorization: Bearer ${options.token}\r\n` : '';
    // write, not end: a server that closes on a half-closed socket would drop the answer.
    socket.once('connect', () => {
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n${authorization}Connection: close\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const body = completeBody(Buffer.concat(chunks));
      if (body !== undefined) finish(body);
    });
    socket.once('end', () => finish(completeBody(Buffer.concat(chunks), true)));
    socket.once('error', () => finish(undefined));
  });
}

/**
 * The parsed JSON body once the response is complete (`null` for a non-200 or unparsable one),
 * `undefined` while more bytes are needed (or, at the socket's end, when none will come).
 */
export function completeBody(response: Buffer, ended = false): unknown {
  const headerEnd = response.indexOf('\r\n\r\n');
  if (headerEnd === -1) return ended ? null : undefined;
  const head = response.subarray(0, headerEnd).toString('latin1');
  if (!/^HTTP\/1\.[01] 200 /.test(head)) return null;
  let body = response.subarray(headerEnd + 4);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const decoded = decodeChunked(body);
    if (decoded === undefined) return ended ? null : undefined;
    body = decoded;
  } else if (length !== undefined) {
    if (body.length < Number(length)) return ended ? null : undefined;
    body = body.subarray(0, Number(length));
  } else if (!ended) {
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}

/** A whole chunked body, or `undefined` until its last (zero-size) chunk has arrived. */
function decodeChunked(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (body.length < start + size + 2) return undefined;
    parts.push(body.subarray(start, start + size));
    offset = start + size + 2;
  }
}
