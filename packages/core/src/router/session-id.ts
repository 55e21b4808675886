import type { RoutingContext } from '../types/routing.js';

/**
 * The Claude Code session id: `context.sessionId`, else the `x-claude-code-session-id` header, else
 * `metadata.user_id` of the request, which current Claude Code sends as a JSON string
 * `{"device_id":…,"session_id":…}` and older versions as `user_<hash>_account_…_session_<uuid>`.
 */
export function resolveSessionId(context: RoutingContext): string | undefined {
  if (typeof context.sessionId === 'string' && context.sessionId !== '') return context.sessionId;
  const header = context.headers?.['x-claude-code-session-id'];
  if (typeof header === 'string' && header !== '') return header;
  const metadata = (context.request as { metadata?: unknown } | undefined)?.metadata;
  if (metadata === null || typeof metadata !== 'object') return undefined;
  return parseUserIdSessionId((metadata as { user_id?: unknown }).user_id);
}

/** Extracts the session id from a Claude Code `metadata.user_id` value (either format). */
export function parseUserIdSessionId(userId: unknown): string | undefined {
  if (typeof userId !== 'string' || userId === '') return undefined;
  if (userId.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      const sessionId = (parsed as { session_id?: unknown } | null)?.session_id;
      return typeof sessionId === 'string' && sessionId !== '' ? sessionId : undefined;
    } catch {
      return undefined;
    }
  }
  const marker = userId.indexOf('_session_');
  if (marker === -1) return undefined;
  const sessionId = userId.slice(marker + '_session_'.length);
  return sessionId === '' ? undefined : sessionId;
}
