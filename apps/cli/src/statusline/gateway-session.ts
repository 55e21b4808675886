import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';

/** `GET /api/sessions/:id` of `@conduit/server` (kept as a local type: no server import here). */
export interface GatewaySessionInfo {
  last: { provider: string; model: string; route: string } | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  /** Requests of models without a price (their cost is not in `costUsd`). */
  unpricedRequests?: number;
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
    const info = JSON.parse(await readFile(join(conduitHome, 'conduit.pid'), 'utf8')) as {
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
 * Asks the gateway about one session with node:http (no fetch: loading undici would cost more
 * than the whole status line may take). Resolves `undefined` on any failure or after `timeoutMs`.
 */
export function fetchSessionInfo(
  baseURL: string,
  sessionId: string,
  options: { timeoutMs: number; token?: string },
): Promise<GatewaySessionInfo | undefined> {
  return new Promise(resolve => {
    let url: URL;
    try {
      url = new URL(`${baseURL}/api/sessions/${encodeURIComponent(sessionId)}`);
    } catch {
      resolve(undefined);
      return;
    }
    if (url.protocol !== 'http:') {
      resolve(undefined);
      return;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const call = request(url, { method: 'GET', headers, timeout: options.timeoutMs }, response => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return resolve(undefined);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewaySessionInfo);
        } catch {
          resolve(undefined);
        }
      });
      response.on('error', () => resolve(undefined));
    });
    const deadline = setTimeout(() => call.destroy(), options.timeoutMs);
    call.on('timeout', () => call.destroy());
    call.on('error', () => resolve(undefined));
    call.on('close', () => clearTimeout(deadline));
    call.end();
  });
}
