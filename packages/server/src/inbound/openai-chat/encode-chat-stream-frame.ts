import type { ChatStreamFrame } from './chat-completion-stream-state.js';

/** Chat Completions streams are bare `data:` lines, closed by `data: [DONE]`. */
export function encodeChatStreamFrame(frame: ChatStreamFrame): string {
  return frame === '[DONE]' ? 'data: [DONE]\n\n' : `data: ${JSON.stringify(frame)}\n\n`;
}
