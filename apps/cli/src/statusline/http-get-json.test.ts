import { createServer } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { completeBody, getJSON } from './http-get-json.js';

const head = (extra: string) => `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${extra}\r\n`;

describe('getJSON over a raw socket', () => {
  it('waits for a whole Content-Length or chunked body, and refuses non-200 answers', () => {
    const sized = Buffer.from(`${head('Content-Length: 11\r\n')}{"a":[1,2]}`);
    expect(completeBody(sized.subarray(0, sized.length - 3))).toBeUndefined();
    expect(completeBody(sized)).toEqual({ a: [1, 2] });
    const chunked = Buffer.from(
      `${head('Transfer-Encoding: chunked\r\n')}4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n`,
    );
    expect(completeBody(chunked.subarray(0, chunked.length - 5))).toBeUndefined();
    expect(completeBody(chunked)).toEqual({ a: 1 });
    expect(completeBody(Buffer.from('HTTP/1.1 401 Unauthorized\r\n\r\n{}'))).toBeNull();
    expect(completeBody(Buffer.from(`${head('')}{"open":`), true)).toBeNull();
  });

  it('sends the token to a real server and resolves undefined when nothing answers', async () => {
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      // A streamed answer arrives chunked; the authorization is echoed back.
      response.write(`{"path":${JSON.stringify(request.url)},`);
      response.end(`"auth":${JSON.stringify(request.headers.authorization ?? null)}}`);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        getJSON(new URL(`http://127.0.0.1:${port}/api/x?y=1`), { timeoutMs: 5000, token: 't' }),
      ).resolves.toEqual({ path: '/api/x?y=1', auth: 'Bearer t' });
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
    await expect(
      getJSON(new URL(`http://127.0.0.1:${port}/`), { timeoutMs: 5000 }),
    ).resolves.toBeUndefined();
  });
});
