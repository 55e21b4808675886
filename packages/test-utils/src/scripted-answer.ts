/**
 * A provider-neutral description of a model answer. Each mock provider renders it in its own
 * wire format (JSON or SSE), so one scenario can be played by every adapter's upstream.
 */
export interface ScriptedAnswer {
  text?: string;
  reasoning?: string;
  toolCalls?: Array<{ id: string; name: string; input: Record<string, unknown> }>;
  stop: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence' | 'refusal';
  usage?: { input: number; output: number; cached?: number };
  /** Model id the upstream reports. */
  model?: string;
}

/** Splits `text` into pieces of `size` characters (at least one piece). */
export function splitText(text: string, size: number): string[] {
  if (text.length === 0) return [''];
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size)
    pieces.push(text.slice(index, index + size));
  return pieces;
}
