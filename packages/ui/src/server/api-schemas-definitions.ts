/**
 * The zod schemas of the UI's JSON API, built on first use; `api-schemas.ts` exports them.
 * @module
 */

type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `api-schemas.ts`). */
export function defineUIApiSchemas(z: Zod) {
  const optionalId = z.string().trim().min(1).max(200).optional();

  /** Query of `GET /ui/api/overview`, `/ui/api/series` and `/ui/api/breakdown`. */
  const statsQuerySchema = z.strictObject({
    range: z.enum(['1h', '1d', '7d', '30d']).default('1d'),
    projectId: optionalId,
    agentId: optionalId,
    /** `/ui/api/series` only: overrides the range's bucket (ms, >= 1000). */
    bucketMs: z.coerce.number().int().min(1000).optional(),
    /** `/ui/api/breakdown` only. */
    by: z.enum(['model', 'provider', 'routeReason', 'project', 'agent']).optional(),
  });

  /** Body of `POST /ui/api/explain`: a Messages API request body, plus optional routing inputs. */
  const explainRequestSchema = z.strictObject({
    body: z.record(z.string(), z.unknown()),
    headers: z.record(z.string(), z.string()).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  });

  /** Body of `POST /ui/api/config/validate` and `PUT /ui/api/config`: the JSON5 text of the file. */
  const configTextSchema = z.strictObject({
    text: z.string().max(2_000_000),
    /** `PUT` only: the `revision` the edit started from; a mismatch is a 409 (someone else saved). */
    revision: z.string().optional(),
  });

  /** Body of `POST /ui/login` (form or JSON). */
  const loginSchema = z.strictObject({ apiKey: z.string().min(1).max(4096) });

  /** One finished request, as the live log (`GET /ui/api/requests`, SSE `request` events) shows it. */
  const requestEventSchema = z.object({
    id: z.string(),
    /** Epoch ms when the request arrived. */
    startedAt: z.number(),
    routeReason: z.string().nullable(),
    scenario: z.string().nullable(),
    requestedModel: z.string().nullable(),
    /** The router's target. */
    routedTo: z.string().nullable(),
    /** The target that answered (differs from `routedTo` after a fallback). */
    servedBy: z.string().nullable(),
    fellBack: z.boolean(),
    fallbacks: z.array(z.string()),
    tokenCount: z.number().nullable(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheReadTokens: z.number(),
    cacheWriteTokens: z.number(),
    usageEstimated: z.boolean(),
    costUsd: z.number().nullable(),
    latencyMs: z.number(),
    ttfbMs: z.number().nullable(),
    upstreamMs: z.number().nullable(),
    status: z.number(),
    errorType: z.string().nullable(),
    streamed: z.boolean(),
    projectId: z.string().nullable(),
    agentId: z.string().nullable(),
    /** On a fleet: the instance that served it, when that was another instance than this one. */
    instance: z.string().max(300).optional(),
  });

  return {
    statsQuerySchema,
    explainRequestSchema,
    configTextSchema,
    loginSchema,
    requestEventSchema,
  };
}
