import { readFileSync } from 'node:fs';
import type { RoutingContext } from '@conduit/core';
import { fixturesDirectory } from '@conduit/test-utils';
import { describe, expect, it } from '@jest/globals';
import { PluginManager } from '../../plugin-manager.js';
import { createContext } from '../../test-helpers.js';
import { createRequestMetadataTaggerPlugin } from './index.js';

interface IndexEntry {
  file: string;
  headers: Record<string, string>;
}

const requestIndex = JSON.parse(
  readFileSync(new URL('requests-index.json', fixturesDirectory), 'utf8'),
) as { requests: IndexEntry[] };

/** A real Claude Code request (body + headers as received), plus the custom headers a user adds. */
function claudeCodeContext(
  file: string,
  extraHeaders: Record<string, string> = {},
): RoutingContext {
  const entry = requestIndex.requests.find(candidate => candidate.file === file);
  if (!entry) throw new Error(`fixture ${file} is not in requests-index.json`);
  const request = JSON.parse(readFileSync(new URL(file, fixturesDirectory), 'utf8'));
  return { request, headers: { ...entry.headers, ...extraHeaders }, metadata: {} };
}

async function loadTagger(config: Record<string, unknown>) {
  const manager = new PluginManager();
  const report = await manager.loadPlugins([{ name: 'request-metadata-tagger', config }]);
  return { manager, report };
}

describe('request-metadata-tagger', () => {
  it('tags a real Claude Code subagent request from headers and the billing block', async () => {
    const { manager, report } = await loadTagger({ headers: { 'X-Conduit-Tenant': 'tenant' } });
    expect(report.loaded).toMatchObject([{ name: 'request-metadata-tagger', source: 'builtin' }]);
    const context = await manager.beforeRouting(
      claudeCodeContext('cc-agent-02-messages.json', { 'x-conduit-tenant': 'acme' }),
    );
    expect(context.metadata).toEqual({
      tenant: 'acme',
      sessionId: '846042ed-ecbe-4e8f-ac3a-a01da4964548',
      agentId: 'a90eefee21f686bef',
      isSubagent: true,
      claudeCodeEntrypoint: 'sdk-cli',
      claudeCodeVersion: '2.1.197.f2f',
    });
    expect(context.sessionId).toBe('846042ed-ecbe-4e8f-ac3a-a01da4964548');
  });

  it('marks a main-loop request as not a subagent and leaves absent headers out', async () => {
    const { manager } = await loadTagger({ headers: { 'x-conduit-tenant': 'tenant' } });
    const context = await manager.beforeRouting(claudeCodeContext('cc-agent-01-messages.json'));
    expect(context.metadata).toMatchObject({ isSubagent: false, claudeCodeEntrypoint: 'sdk-cli' });
    expect(context.metadata).not.toHaveProperty('tenant');
    expect(context.metadata).not.toHaveProperty('agentId');
  });

  it('reads the session id from metadata.user_id when the header is missing (JSON and legacy forms)', () => {
    const plugin = createRequestMetadataTaggerPlugin({});
    const withUserId = (userId: string) =>
      plugin.beforeRouting?.(
        createContext({
          request: { model: 'm', max_tokens: 1, messages: [], metadata: { user_id: userId } },
        }),
      ) as RoutingContext;
    expect(
      withUserId('{"device_id":"d","account_uuid":"","session_id":"abc"}').metadata?.sessionId,
    ).toBe('abc');
    expect(withUserId('user_1_account__session_def').metadata?.sessionId).toBe('def');
    expect(withUserId('{not json').metadata).toEqual({});
  });

  it('adds static tags, keeps existing keys unless overwrite is set, cuts long values', () => {
    const context = createContext({
      headers: { 'x-team': 'x'.repeat(20) },
      metadata: { team: 'from-server' },
    });
    const keep = createRequestMetadataTaggerPlugin({
      headers: { 'x-team': 'team' },
      static: { region: 'eu' },
    });
    expect((keep.beforeRouting!(context) as RoutingContext).metadata).toEqual({
      team: 'from-server',
      region: 'eu',
    });
    const replace = createRequestMetadataTaggerPlugin({
      headers: { 'x-team': 'team' },
      overwrite: true,
      maxValueLength: 5,
      claudeCode: false,
    });
    expect((replace.beforeRouting!(context) as RoutingContext).metadata).toEqual({
      team: 'xxxxx',
    });
  });

  it('rejects bad settings with every reason', async () => {
    const { report } = await loadTagger({
      headers: { 'bad header': 'x', ok: '' },
      static: { list: [1] },
      claudeCode: 'yes',
      maxValueLength: -1,
      extra: true,
    });
    expect(report.failed[0]?.issues).toEqual([
      'unknown setting "extra" (known: headers, claudeCode, static, overwrite, maxValueLength)',
      '"bad header" is not a valid header name',
      'headers["ok"] must be a metadata key name (a non-empty string)',
      'static["list"] must be a string, number or boolean',
      '"claudeCode" must be true or false',
      '"maxValueLength" must be a positive integer',
    ]);
  });
});
