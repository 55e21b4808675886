import { InvalidRequestError } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { GatewaySnapshot } from '../gateway/gateway-snapshot.js';

/** One entry of `GET /v1/models`, in Anthropic's shape. */
export interface ModelListEntry {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

const defaultLimit = 20;
const maxLimit = 1000;

function parseLimit(value: string | undefined): number {
  if (value === undefined) return defaultLimit;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new InvalidRequestError({
      message: `limit: must be an integer from 1 to ${maxLimit}.`,
      field: 'limit',
    });
  }
  return limit;
}

/**
 * `GET /v1/models`: every configured `provider,model`, paginated like Anthropic's list endpoint
 * (`limit`, `after_id`, `before_id`). Only names: keys and URLs never appear.
 */
export function createModelsHandler(getSnapshot: () => GatewaySnapshot, createdAt: string) {
  return (context: Context<ConduitEnv>): Response => {
    if (isOpenAIClient(context.req.raw.headers)) {
      return context.json(listOpenAIModels(getSnapshot(), createdAt));
    }
    const all: ModelListEntry[] = getSnapshot().config.Providers.flatMap(provider =>
      provider.models.map(model => ({
        type: 'model' as const,
        id: `${provider.name},${model}`,
        display_name: `${model} (${provider.name})`,
        created_at: createdAt,
      })),
    );
    const limit = parseLimit(context.req.query('limit'));
    const afterId = context.req.query('after_id');
    const beforeId = context.req.query('before_id');
    let start = 0;
    let end = all.length;
    if (afterId !== undefined) start = all.findIndex(entry => entry.id === afterId) + 1;
    if (beforeId !== undefined) {
      const index = all.findIndex(entry => entry.id === beforeId);
      end = index === -1 ? all.length : index;
      start = Math.max(start, end - limit);
    }
    const data = all.slice(start, Math.min(end, start + limit));
    return context.json({
      data,
      has_more: beforeId !== undefined ? start > 0 : start + data.length < end,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  };
}

/**
 * An OpenAI client: no `anthropic-version` (every Anthropic SDK and Claude Code send it) and either
 * the OpenAI SDKs' user agent or `Authorization: Bearer`.
 */
export function isOpenAIClient(headers: Headers): boolean {
  if (headers.has('anthropic-version')) return false;
  if (/^openai\//i.test(headers.get('user-agent') ?? '')) return true;
  return /^bearer\s/i.test(headers.get('authorization') ?? '');
}

/** `GET /v1/models` in OpenAI's shape: `{object: "list", data: [{id, object, created, owned_by}]}`. */
function listOpenAIModels(snapshot: GatewaySnapshot, createdAt: string) {
  const created = Math.floor(Date.parse(createdAt) / 1000) || 0;
  return {
    object: 'list' as const,
    data: snapshot.config.Providers.flatMap(provider =>
      provider.models.map(model => ({
        id: `${provider.name},${model}`,
        object: 'model' as const,
        created,
        owned_by: provider.name,
      })),
    ),
  };
}
