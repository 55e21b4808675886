import type { LimitScope, LimitWindows, ScopeUsage } from './limit-types.js';

/**
 * `anthropic-ratelimit-*` headers for an admitted request: the most constrained scope's requests
 * and tokens (limit, remaining after this request, reset as RFC 3339), as Anthropic reports them.
 * @see https://docs.anthropic.com/en/api/rate-limits#response-headers
 */
export function rateLimitHeaders(
  scopes: readonly LimitScope[],
  usage: readonly ScopeUsage[],
  estimatedTokens: number,
  windows: LimitWindows,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const reset = new Date(windows.windowEnd).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let requests: { limit: number; remaining: number } | undefined;
  let tokens: { limit: number; remaining: number } | undefined;
  for (const [index, scope] of scopes.entries()) {
    const counts = usage[index] ?? { requests: 0, tokens: 0 };
    if (scope.limits.rpm) {
      const remaining = Math.max(0, scope.limits.rpm - counts.requests - 1);
      if (!requests || remaining < requests.remaining) {
        requests = { limit: scope.limits.rpm, remaining };
      }
    }
    if (scope.limits.tpm) {
      const remaining = Math.max(0, scope.limits.tpm - counts.tokens - estimatedTokens);
      if (!tokens || remaining < tokens.remaining) tokens = { limit: scope.limits.tpm, remaining };
    }
  }
  if (requests) {
    headers['anthropic-ratelimit-requests-limit'] = String(requests.limit);
    headers['anthropic-ratelimit-requests-remaining'] = String(requests.remaining);
    headers['anthropic-ratelimit-requests-reset'] = reset;
  }
  if (tokens) {
    headers['anthropic-ratelimit-tokens-limit'] = String(tokens.limit);
    headers['anthropic-ratelimit-tokens-remaining'] = String(tokens.remaining);
    headers['anthropic-ratelimit-tokens-reset'] = reset;
  }
  return headers;
}
