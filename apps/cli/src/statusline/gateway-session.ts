import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJSON } from './http-get-json.js';

/** `GET /api/sessions/:id` of `@conduit/server` (kept as a local type: no server import here). */
export interface GatewaySessionInfo {
  last: { provider: string; model: string; route: string } | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** Requests of models without a price (their cost is not in `costUsd`). */
  unpricedRequests?: number;
  /** Budgets the session's last request went over (Synapse downgrade); older gateways omit it. */
  budgets?: Array<{ scope: string; id: string; period: string; fraction: number }>;
  /**
   * Every budget of the session's last request with its spend (read-only on the gateway); older
   * gateways omit it.
   */
  budgetUse?: Array<{
    scope: string;
    id: string;
    period: string;
    spentUsd: number;
    limitUsd: number;
    fraction: number;
  }>;
  /** Set when the session's last request was refused with a 429 (budget or rate limit). */
  refused?: { status: number } | null;
  /** Open circuits, budgets reached, a refused last request, failing health checks. */
  warnings: string[];
}

/**
 * The gateway to ask: `ANTHROPIC_BASE_URL` (Claude Code hands its own environment to the status
 * line command, and `conduit code` points it at the gateway), else the PID file's address.
 */
export async function findGatewayURL(
  env: NodeJS.ProcessEnv,
  conduitHome: string,
): Promise<string | undefined> {
  const fromEnv = env.ANTHROPIC_BASE_URL?.trim();
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  try {
    const info = JSON.parse(readFileSync(join(conduitHome, 'conduit.pid'), 'utf8')) as {
      host?: string;
      port?: number | null;
    };
    if (typeof info.port !== 'number') return undefined;
    const host =
      !info.host || info.host === '0.0.0.0' || info.host === '::' ? '127.0.0.1' : info.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`;
  } catch {
    return undefined;
  }
}

/**
 * Asks the gateway about one session, in parallel: `GET /api/sessions/:id` (last route, warnings)
 * and `GET /api/usage?sessionId=` (the ledger's totals and cost; absent when usage tracking is
 * off, then the gateway's in-memory totals are shown). Raw sockets, not fetch or node:http: loading
 * either costs more than the rest of the status line. `undefined` when the gateway does not answer.
 */
export async function fetchSessionInfo(
  baseURL: string,
  sessionId: string,
  options: { timeoutMs: number; token?: string },
): Promise<GatewaySessionInfo | undefined> {
  let sessionURL: URL;
  let usageURL: URL;
  try {
    sessionURL = new URL(`${baseURL}/api/sessions/${encodeURIComponent(sessionId)}`);
    usageURL = new URL(`${baseURL}/api/usage?sessionId=${encodeURIComponent(sessionId)}`);
  } catch {
    return undefined;
  }
  const [session, usage] = await Promise.all([
    getJSON(sessionURL, options) as Promise<GatewaySessionInfo | undefined>,
    getJSON(usageURL, options) as Promise<{ totals?: LedgerTotals } | undefined>,
  ]);
  if (!session) return undefined;
  const totals = usage?.totals;
  if (!totals) return { ...session, costUsd: null };
  return {
    ...session,
    requests: totals.requests,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    costUsd: totals.costUsd,
    unpricedRequests: totals.unpricedRequests,
  };
}

/** The part of `GET /api/usage`'s `totals` the status line shows. */
interface LedgerTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedRequests: number;
}
