import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageDirectory } from './cli-harness.js';

/** What Claude Code 2.1.197 pipes into a statusLine command (captured, paths anonymised). */
export const claudeStatuslineInput = readFileSync(
  path.join(packageDirectory, 'test/fixtures/claude-statusline-input.json'),
  'utf8',
);

/** The session the captured input belongs to. */
export const claudeStatuslineSessionId = (
  JSON.parse(claudeStatuslineInput) as { session_id: string }
).session_id;

/**
 * The status line tests' gateway config: the inbound key `inbound-secret`, one mock provider, and
 * pricing under which one request (21 tokens in, 4 out) costs $0.025. `extra` keys replace these.
 */
export function statuslineGatewayConfig(options: {
  baseURL: string;
  endpoint: string;
  models?: string[];
  extra?: Record<string, unknown>;
}): string {
  return JSON.stringify({
    PORT: Number(new URL(options.baseURL).port),
    APIKEY: 'inbound-secret',
    LOG: false,
    Providers: [
      {
        name: 'mock',
        api_base_url: options.endpoint,
        api_key: 'k',
        models: options.models ?? ['big'],
      },
    ],
    Router: { default: 'mock,big' },
    usage: { pricing: { 'mock,big': { input: 1000, output: 1000 } } },
    ...options.extra,
  });
}
