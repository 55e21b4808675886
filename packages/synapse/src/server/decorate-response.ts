/**
 * Response metadata for Synapse in server mode: `x-synapse-*` and `x-conduit-cost-usd` headers,
 * and `: conduit {...}` comments inside streams.
 * @module
 */
import type { SynapseSettings } from '../config/synapse-settings.js';
import type { SynapseLedger } from '../integration/synapse-ledger.js';
import type { SynapseDecisionRecord } from '../routing/create-synapse-plugin.js';
import type { ConduitResponseMetadata, ResponseUsage } from '../stream/conduit-metadata.js';
import { createStreamMetadataInjector } from '../stream/stream-metadata-injector.js';

/** The routing metadata of a response, from the decision and the headers the server set. */
export function responseMetadata(
  response: Response,
  record: SynapseDecisionRecord | undefined,
): ConduitResponseMetadata {
  const metadata: ConduitResponseMetadata = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') metadata[key] = value;
  };
  set('requestId', response.headers.get('x-conduit-request-id'));
  set('provider', response.headers.get('x-conduit-provider') ?? record?.decision.provider);
  set('model', response.headers.get('x-conduit-model') ?? record?.decision.model);
  set('route', response.headers.get('x-conduit-route') ?? record?.decision.reason);
  if (record) {
    set('scenario', record.decision.scenario);
    set('tokenCount', record.decision.tokenCount);
    set('projectId', record.context.projectId);
    set('agentId', record.context.agentId);
    set('agentType', record.context.agentType);
    set('taskType', record.context.taskType);
    set('budget', record.budget);
  }
  return metadata;
}

/** `x-synapse-*` headers echoing who the request was for. */
export function synapseResponseHeaders(
  record: SynapseDecisionRecord | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const context = record?.context;
  if (context?.projectId !== undefined) headers['x-synapse-project-id'] = context.projectId;
  if (context?.agentId !== undefined) headers['x-synapse-agent-id'] = context.agentId;
  if (context?.agentType !== undefined) headers['x-synapse-agent-type'] = context.agentType;
  if (context?.taskType !== undefined) headers['x-synapse-task-type'] = context.taskType;
  if (record?.budget) {
    const { scope, id, period } = record.budget;
    headers['x-conduit-budget'] = `${scope}:${id}:${period}`;
  }
  // Header values must be ByteStrings; ids with other characters stay in the body metadata only.
  return Object.fromEntries(
    Object.entries(headers).filter(([, value]) => /^[\x20-\x7e]*$/.test(value)),
  );
}

/**
 * Adds Synapse's metadata to a `/v1/messages` response: headers on every response; for a JSON
 * answer, `x-conduit-cost-usd` priced from its `usage`; for a stream, the metadata comments.
 * The body bytes are never changed otherwise.
 */
export async function decorateMessagesResponse(
  response: Response,
  options: {
    record: SynapseDecisionRecord | undefined;
    settings: SynapseSettings;
    ledger: SynapseLedger;
  },
): Promise<Response> {
  const { record, settings, ledger } = options;
  const headers = new Headers(response.headers);
  if (settings.responseHeaders) {
    for (const [name, value] of Object.entries(synapseResponseHeaders(record)))
      headers.set(name, value);
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !response.body) {
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
  const metadata = responseMetadata(response, record);
  const price = (usage: ResponseUsage): number | null =>
    metadata.provider && metadata.model
      ? ledger.priceUsage(String(metadata.provider), String(metadata.model), usage)
      : null;

  if (contentType.startsWith('text/event-stream')) {
    const body = settings.streamMetadata
      ? response.body.pipeThrough(createStreamMetadataInjector({ metadata, priceUsage: price }))
      : response.body;
    return new Response(body, { status: 200, statusText: response.statusText, headers });
  }

  const text = await response.text();
  if (settings.responseHeaders) {
    const usage = readJSONUsage(text);
    const cost = usage ? price(usage) : null;
    if (cost !== null)
      headers.set('x-conduit-cost-usd', cost.toFixed(8).replace(/\.?0+$/, '') || '0');
  }
  return new Response(text, { status: 200, statusText: response.statusText, headers });
}

function readJSONUsage(text: string): ResponseUsage | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const usage = (body as { usage?: Record<string, unknown> } | null)?.usage;
  if (!usage || typeof usage !== 'object') return null;
  const count = (key: string) => {
    const value = usage[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
  };
  return {
    inputTokens: count('input_tokens'),
    outputTokens: count('output_tokens'),
    cacheReadTokens: count('cache_read_input_tokens'),
    cacheWriteTokens: count('cache_creation_input_tokens'),
  };
}
