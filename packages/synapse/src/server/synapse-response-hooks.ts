/**
 * Response metadata for Synapse in server mode, through `@conduit/server`'s response hooks:
 * `x-synapse-*`, `x-conduit-budget` and `x-conduit-cost-usd` headers, and `: conduit {...}`
 * comments inside streams.
 * @module
 */
import type { ResponseHookInput, ResponseHooks } from '@conduit/core';
import type { SynapseSettings } from '../config/synapse-settings.js';
import type { SynapseLedger } from '../integration/synapse-ledger.js';
import type { SynapseDecisionRecord } from '../routing/create-synapse-plugin.js';
import type { ConduitResponseMetadata, ResponseUsage } from '../stream/conduit-metadata.js';
import { createStreamMetadataInjector } from '../stream/stream-metadata-injector.js';

/** The routing metadata of a response: what served it, and who it was for. */
export function responseMetadata(
  input: ResponseHookInput,
  record: SynapseDecisionRecord | undefined,
): ConduitResponseMetadata {
  const metadata: ConduitResponseMetadata = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') metadata[key] = value;
  };
  set('requestId', input.requestId);
  set('provider', input.servedBy.provider);
  set('model', input.servedBy.model);
  set('route', input.decision.reason);
  set('scenario', input.decision.scenario);
  set('tokenCount', input.decision.tokenCount);
  if (record) {
    set('projectId', record.context.projectId);
    set('agentId', record.context.agentId);
    set('agentType', record.context.agentType);
    set('taskType', record.context.taskType);
    set('budget', record.budget);
  }
  return metadata;
}

/** `x-synapse-*` headers echoing who the request was for, and the budget that downgraded it. */
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

/** What {@link createSynapseResponseHooks} reads per request. */
export interface SynapseResponseHookDependencies {
  /** The Synapse plugin's record of a request (its context and budget), by request id. */
  getRecord(requestId: string): SynapseDecisionRecord | undefined;
  getSettings(): SynapseSettings;
  ledger: SynapseLedger;
}

/**
 * Response hooks adding Synapse's metadata to successful `/v1/messages` responses: the headers
 * (`synapse.responseHeaders`) on JSON and streams, `x-conduit-cost-usd` on JSON answers priced
 * from their usage, and the start/end metadata comments in streams (`synapse.streamMetadata`).
 * The body bytes are never changed otherwise.
 */
export function createSynapseResponseHooks(
  dependencies: SynapseResponseHookDependencies,
): ResponseHooks {
  const { ledger } = dependencies;
  const price = (input: ResponseHookInput, usage: ResponseUsage): number | null =>
    ledger.priceUsage(input.servedBy.provider, input.servedBy.model, usage);
  return {
    headers(input) {
      if (!dependencies.getSettings().responseHeaders) return undefined;
      const headers = synapseResponseHeaders(dependencies.getRecord(input.requestId));
      if (!input.streamed) {
        const cost = price(input, toResponseUsage(input.getOutcome().usage));
        if (cost !== null) headers['x-conduit-cost-usd'] = formatCost(cost);
      }
      return headers;
    },
    transformStream(input) {
      if (!dependencies.getSettings().streamMetadata) return undefined;
      return createStreamMetadataInjector({
        metadata: responseMetadata(input, dependencies.getRecord(input.requestId)),
        priceUsage: usage => price(input, usage),
      });
    },
  };
}

function toResponseUsage(usage: {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}): ResponseUsage {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens,
  };
}

/** USD with up to 8 decimals and no trailing zeros (`0.037`, `0`). */
function formatCost(cost: number): string {
  return cost.toFixed(8).replace(/\.?0+$/, '') || '0';
}
