/** A real OpenAI-compatible chat completions server on 127.0.0.1 that records what it receives. */
import { createServer, type Server } from 'node:http';

export interface MockOpenAIServer {
  url: string;
  requests: Array<{
    path: string;
    body: Record<string, unknown>;
    headers: Record<string, unknown>;
  }>;
  close(): Promise<void>;
}

export async function startMockOpenAIServer(): Promise<MockOpenAIServer> {
  const requests: MockOpenAIServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk as Buffer));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
        string,
        unknown
      >;
      requests.push({ path: request.url ?? '', body, headers: request.headers });
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 1,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: 'hello from the mock' },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 },
        }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
