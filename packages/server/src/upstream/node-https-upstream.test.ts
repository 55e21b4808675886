import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createNodeHTTPUpstream } from './node-http-upstream.js';

// Every real provider is https: the same client over TLS, against a certificate made for this run
// (openssl, which .ci/run's machine has; a missing openssl fails here loudly).
let folder: string;
let key: string;
let cert: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'conduit-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(folder, 'key.pem'),
      '-out',
      join(folder, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  key = readFileSync(join(folder, 'key.pem'), 'utf8');
  cert = readFileSync(join(folder, 'cert.pem'), 'utf8');
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function httpsUpstream() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer({ key, cert }, (request, response) => {
    let body = '';
    request.on('data', chunk => {
      body += chunk;
    });
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ path: request.url, body, connection: connections }));
    });
  });
  server.on('secureConnection', socket => {
    connections += 1;
    sockets.add(socket);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise(resolve => server.close(resolve));
  };
  return { url, sockets, close };
}

describe('createNodeHTTPUpstream over https', () => {
  it('answers over TLS and reuses the kept-alive TLS connection', async () => {
    const upstream = await httpsUpstream();
    const client = createNodeHTTPUpstream({}, { ca: cert });
    try {
      const first = await client.fetch(`${upstream.url}/v1/one`, { method: 'POST', body: 'a' });
      expect(first.status).toBe(200);
      expect(JSON.parse(await first.text())).toEqual({ path: '/v1/one', body: 'a', connection: 1 });
      const second = await client.fetch(`${upstream.url}/v1/two`, { method: 'POST', body: 'b' });
      expect(JSON.parse(await second.text())).toEqual({
        path: '/v1/two',
        body: 'b',
        connection: 1,
      });
    } finally {
      client.close();
      await upstream.close();
    }
  });

  it('drops an idle TLS connection the upstream closed and answers on a new one', async () => {
    const upstream = await httpsUpstream();
    const client = createNodeHTTPUpstream({}, { ca: cert });
    try {
      const first = await client.fetch(`${upstream.url}/one`, { method: 'POST', body: 'a' });
      expect(JSON.parse(await first.text())).toMatchObject({ connection: 1 });
      for (const socket of upstream.sockets) socket.end();
      // Let the close reach the idle pooled socket.
      await new Promise(resolve => setTimeout(resolve, 50));
      const second = await client.fetch(`${upstream.url}/two`, { method: 'POST', body: 'b' });
      expect(JSON.parse(await second.text())).toMatchObject({ path: '/two', connection: 2 });
    } finally {
      client.close();
      await upstream.close();
    }
  });

  it('refuses a certificate it does not trust', async () => {
    const upstream = await httpsUpstream();
    const client = createNodeHTTPUpstream({});
    try {
      await expect(
        client.fetch(`${upstream.url}/one`, { method: 'POST', body: 'a' }),
      ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      client.close();
      await upstream.close();
    }
  });
});
