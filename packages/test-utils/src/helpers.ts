/**
 * The test helpers that do not need jest (`@conduit/test-utils/helpers`): recording mock providers
 * on 127.0.0.1, SSE helpers and Claude Code fixture loaders, for scripts and benches that run
 * outside jest. The package's main entry adds the adapter contract suite, which imports
 * `@jest/globals`.
 * @module
 */
export {
  startMockHTTPServer,
  type MockHTTPServer,
  type MockResponder,
  type MockResponse,
  type RecordedRequest,
} from './mock-http-server.js';
export {
  createOpenAIChunks,
  createOpenAICompletion,
  renderOpenAIAnswer,
  startMockOpenAIProvider,
  type MockOpenAIProvider,
} from './mock-openai-provider.js';
export {
  createAnthropicEvents,
  createAnthropicMessage,
  renderAnthropicAnswer,
  startMockAnthropicProvider,
  type MockAnthropicProvider,
} from './mock-anthropic-provider.js';
export {
  createGeminiChunks,
  createGeminiError,
  createGeminiResponse,
  geminiStatusName,
  mockThoughtSignature,
  parseGeminiPath,
  renderGeminiAnswer,
  startMockGeminiProvider,
  type GeminiRenderOptions,
  type MockGeminiProvider,
} from './mock-gemini-provider.js';
export { validateGeminiRequest, validateGeminiSchema } from './gemini-rules.js';
export {
  createResponsesError,
  createResponsesEvents,
  createResponsesResponse,
  mockEncryptedReasoning,
  renderResponsesAnswer,
  startMockResponsesProvider,
  type MockResponsesProvider,
  type ResponsesRenderOptions,
} from './mock-responses-provider.js';
export { validateResponsesRequest } from './responses-rules.js';
export { splitText, type ScriptedAnswer } from './scripted-answer.js';
export {
  formatAnthropicSSE,
  formatOpenAISSE,
  formatSSEFrame,
  parseSSE,
  parseSSEJSON,
  splitSSEFrames,
  type SSEEvent,
} from './sse.js';
export {
  fixturePath,
  fixturesDirectory,
  listCountTokensFixtures,
  listFixtures,
  listMessagesFixtures,
  readFixtureIndex,
  readFixtureJSON,
  readFixtureText,
  type FixtureIndexEntry,
} from './claude-code-fixtures.js';
