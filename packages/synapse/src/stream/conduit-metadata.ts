/** Token usage read from a response, in the ledger's terms. */
export interface ResponseUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/**
 * What Conduit tells Synapse about a response: the routing decision, the project/agent ids and,
 * once known, usage and cost. Carried in `: conduit {...}` SSE comments inside streams and in
 * `x-conduit-*` / `x-synapse-*` headers.
 */
export interface ConduitResponseMetadata {
  /** `start` (before the first event) or `end` (before `message_stop`). */
  phase?: 'start' | 'end';
  requestId?: string;
  provider?: string;
  model?: string;
  /** The route reason (`default`, `think`, `budget-downgrade`, ...). */
  route?: string;
  scenario?: string;
  tokenCount?: number;
  projectId?: string;
  agentId?: string;
  agentType?: string;
  taskType?: string;
  /** The budget that caused a downgrade. */
  budget?: Record<string, unknown>;
  usage?: ResponseUsage;
  /** USD; null when the model has no known price. */
  costUsd?: number | null;
  [key: string]: unknown;
}

/** The SSE comment prefix: `: conduit {...}`. */
export const conduitCommentPrefix = ': conduit ';

/**
 * Renders one metadata comment frame. An SSE comment (a line starting with `:`) is ignored by
 * every compliant SSE parser, the Anthropic SDK's included, so clients that do not look for it
 * never see it. `JSON.stringify` output has no raw line breaks, so the comment is one line.
 */
export function formatConduitComment(metadata: ConduitResponseMetadata): string {
  return `${conduitCommentPrefix}${JSON.stringify(metadata)}\n\n`;
}

/**
 * Reads Conduit's metadata out of a streamed response body (the whole SSE text, or any part of
 * it): every `: conduit {...}` comment, later ones overriding earlier ones (so the `end` comment's
 * usage and cost win). Null when there is none.
 *
 * @example
 * const text = await response.text();
 * const metadata = readConduitMetadata(text); // { provider, model, route, projectId, costUsd, ... }
 */
export function readConduitMetadata(sseText: string): ConduitResponseMetadata | null {
  let merged: ConduitResponseMetadata | null = null;
  for (const line of sseText.split(/\r\n|\r|\n/)) {
    if (!line.startsWith(conduitCommentPrefix)) continue;
    try {
      const value: unknown = JSON.parse(line.slice(conduitCommentPrefix.length));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        merged = { ...(merged ?? {}), ...(value as ConduitResponseMetadata) };
      }
    } catch {
      // Not ours (someone else's comment that happens to start the same way): skip it.
    }
  }
  return merged;
}
