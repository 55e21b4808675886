import type { RoutingContext } from '@conduit/core';

/** What Claude Code tells about a request, read from its headers, billing block and metadata. */
export interface ClaudeCodeMarkers {
  sessionId?: string;
  /** `x-claude-code-agent-id`, sent only by subagents. */
  agentId?: string;
  /** `cc_is_subagent=true` in the billing block, or an agent id header. */
  isSubagent?: boolean;
  /** `cc_entrypoint` of the billing block: `cli` (TUI) or `sdk-cli` (`-p`). */
  entrypoint?: string;
  /** `cc_version` of the billing block, e.g. `2.1.197.f2f`. */
  version?: string;
}

const billingPrefix = 'x-anthropic-billing-header:';

/**
 * Reads Claude Code's markers from a request. The billing block is the first system block, e.g.
 * `x-anthropic-billing-header: cc_version=2.1.197.f2f; cc_entrypoint=sdk-cli; cc_is_subagent=true;`;
 * the session id comes from `x-claude-code-session-id`, else from `metadata.user_id` (a JSON string
 * with `session_id`, or the older `user_…_session_<uuid>` form).
 * Real captures of this traffic: `packages/test-utils/fixtures/claude-code/`.
 */
export function readClaudeCodeMarkers(context: RoutingContext): ClaudeCodeMarkers {
  const markers: ClaudeCodeMarkers = {};
  const headers = context.headers ?? {};
  const sessionId =
    headers['x-claude-code-session-id'] || sessionIdFromUserId(context.request.metadata);
  if (sessionId) markers.sessionId = sessionId;
  const agentId = headers['x-claude-code-agent-id'];
  if (agentId) markers.agentId = agentId;

  const billing = readBillingFields(context.request.system);
  if (billing.cc_entrypoint) markers.entrypoint = billing.cc_entrypoint;
  if (billing.cc_version) markers.version = billing.cc_version;
  if (billing.cc_is_subagent === 'true' || agentId) markers.isSubagent = true;
  else if (billing.cc_version) markers.isSubagent = false;
  return markers;
}

function readBillingFields(system: unknown): Record<string, string> {
  const first = Array.isArray(system) ? system[0] : system;
  const text =
    typeof first === 'string'
      ? first
      : typeof first === 'object' &&
          first !== null &&
          typeof (first as { text?: unknown }).text === 'string'
        ? (first as { text: string }).text
        : '';
  if (!text.startsWith(billingPrefix)) return {};
  const fields: Record<string, string> = {};
  for (const part of text.slice(billingPrefix.length).split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields[part.slice(0, separator).trim()] = part.slice(separator + 1).trim();
  }
  return fields;
}

function sessionIdFromUserId(metadata: unknown): string | undefined {
  const userId =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as { user_id?: unknown }).user_id
      : undefined;
  if (typeof userId !== 'string') return undefined;
  if (userId.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      const sessionId = (parsed as { session_id?: unknown } | null)?.session_id;
      return typeof sessionId === 'string' && sessionId ? sessionId : undefined;
    } catch {
      return undefined;
    }
  }
  const legacy = userId.split('_session_')[1];
  return legacy || undefined;
}
