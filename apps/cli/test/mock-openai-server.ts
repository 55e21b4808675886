/**
 * The OpenAI-compatible upstream the CLI tests use: @conduit/test-utils' recording mock, answering
 * every request with the fixed reply (and usage) the CLI tests assert on.
 */
import {
  type MockOpenAIProvider,
  renderOpenAIAnswer,
  startMockOpenAIProvider,
} from '@conduit/test-utils';

export type MockOpenAIServer = MockOpenAIProvider;

export async function startMockOpenAIServer(): Promise<MockOpenAIServer> {
  const upstream = await startMockOpenAIProvider();
  upstream.setDefaultResponder(request =>
    renderOpenAIAnswer(
      { text: 'hello from the mock', stop: 'end_turn', usage: { input: 21, output: 4 } },
      (request.json as { stream?: boolean } | undefined)?.stream === true,
    ),
  );
  return upstream;
}
