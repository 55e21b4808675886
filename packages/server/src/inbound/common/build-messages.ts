import type { ContentBlock, MessageParam, ToolChoice } from '@conduit/core';

/**
 * Appends content to the conversation. Anthropic alternates roles, so content for the role of the
 * last message is merged into it; a plain string that starts a turn stays a string (an OpenAI
 * upstream then gets the client's message unchanged).
 */
export function pushContent(
  messages: MessageParam[],
  role: 'user' | 'assistant',
  content: ContentBlock[] | string,
): void {
  if (content.length === 0) return;
  const last = messages.at(-1);
  if (last && last.role === role) {
    const previous: ContentBlock[] =
      typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : last.content;
    const next: ContentBlock[] =
      typeof content === 'string' ? [{ type: 'text', text: content }] : content;
    last.content = [...previous, ...next];
    return;
  }
  messages.push({ role, content });
}

/**
 * Adds a `tool_result` block. Results lead their user turn: Anthropic wants them right after the
 * `tool_use` turn, before any other user content.
 */
export function pushToolResult(messages: MessageParam[], block: ContentBlock): void {
  const last = messages.at(-1);
  if (last?.role === 'user' && Array.isArray(last.content)) {
    const firstNonResult = last.content.findIndex(item => item.type !== 'tool_result');
    if (firstNonResult === -1) last.content.push(block);
    else last.content.splice(firstNonResult, 0, block);
    return;
  }
  messages.push({ role: 'user', content: [block] });
}

/**
 * OpenAI `tool_choice` (normalized: `auto`, `none`, `required`, or a tool name) and
 * `parallel_tool_calls` → Anthropic `tool_choice`. `required` is `any`; no parallel calls is
 * `disable_parallel_tool_use`, which needs a tool choice to ride on (`auto`).
 */
export function convertToolChoice(
  choice: 'auto' | 'none' | 'required' | { name: string } | undefined,
  parallelToolCalls: boolean | null | undefined,
): ToolChoice | undefined {
  const disableParallel = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === 'auto') {
    return parallelToolCalls === false ? { type: 'auto', ...disableParallel } : undefined;
  }
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  return { type: 'tool', name: choice.name, ...disableParallel };
}

/**
 * `response_format` / `text.format` asking for JSON → a system instruction, for upstreams without
 * OpenAI's structured output (OpenAI-compatible upstreams also get the client's own field).
 */
export function jsonFormatInstruction(
  format: { type: string; schema?: unknown } | null | undefined,
): string {
  if (!format || format.type === 'text') return '';
  if (format.type === 'json_schema') {
    return `Respond with a single JSON value only, no prose, matching this JSON Schema: ${JSON.stringify(format.schema ?? {})}`;
  }
  return format.type === 'json_object'
    ? 'Respond with a single valid JSON object only, no prose.'
    : '';
}
