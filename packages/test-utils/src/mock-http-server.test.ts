import { afterEach, describe, expect, it } from '@jest/globals';
import { type MockHTTPServer, startMockHTTPServer } from './mock-http-server.js';

let server: MockHTTPServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startMockHTTPServer', () => {
  it('answers 500 with the error text and records it when its responder throws', async () => {
    server = await startMockHTTPServer();
    server.setDefaultResponder(() => {
      throw new Error('responder could not read the tools');
    });

    const response = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm' }),
    });

    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('api_error');
    expect(body.error.message).toContain('responder could not read the tools');
    expect(server.handlerErrors).toHaveLength(1);
    expect(server.handlerErrors[0]).toContain('responder could not read the tools');
    expect(server.requests[0]?.handlerError).toContain('responder could not read the tools');
    expect(server.requests[0]?.json).toEqual({ model: 'm' });
  });

  it('keeps answering after a handler error', async () => {
    server = await startMockHTTPServer();
    let calls = 0;
    server.setDefaultResponder(() => {
      calls++;
      if (calls === 1) throw new Error('first call fails');
      return { type: 'json', body: { ok: true } };
    });
    expect((await fetch(server.url)).status).toBe(500);
    const second = await fetch(server.url);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ok: true });
  });

  it('rejects a wait that cannot complete with what the mock saw, instead of hanging', async () => {
    server = await startMockHTTPServer();
    server.setDefaultResponder(() => {
      throw new Error('bad script');
    });
    await fetch(server.url);
    await expect(server.waitForClosedConnections(5, 50)).rejects.toThrow(
      /waited 50 ms for 5 closed connection\(s\), saw 1 after 1 request\(s\); handler errors: Error: bad script/,
    );
  });
});
