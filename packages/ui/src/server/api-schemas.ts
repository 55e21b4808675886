/**
 * The UI's JSON API, typed with zod: what each endpoint accepts (validated, a 400 names the bad
 * field) and the shapes it answers (documented in the README; exported for scripts and tests).
 * The schemas are built on first use, so importing the UI does not load zod.
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineUIApiSchemas } from './api-schemas-definitions.js';

/** The dashboard's time ranges and the bucket each one is charted with. */
export const uiRanges = {
  '1h': { durationMs: 3_600_000, bucketMs: 60_000 },
  '1d': { durationMs: 86_400_000, bucketMs: 900_000 },
  '7d': { durationMs: 7 * 86_400_000, bucketMs: 7_200_000 },
  '30d': { durationMs: 30 * 86_400_000, bucketMs: 43_200_000 },
} as const;

export type UIRange = keyof typeof uiRanges;

/** Every schema, built on the first use of any of them: importing the UI does not load zod. */
const getSchemas = schemasOnFirstUse(defineUIApiSchemas);

/** Query of `GET /ui/api/overview`, `/ui/api/series` and `/ui/api/breakdown`. */
export const statsQuerySchema = lazySchema(() => getSchemas().statsQuerySchema);
export type StatsQuery = z.output<typeof statsQuerySchema>;

/** Body of `POST /ui/api/explain`: a Messages API request body, plus optional routing inputs. */
export const explainRequestSchema = lazySchema(() => getSchemas().explainRequestSchema);
export type ExplainRequest = z.output<typeof explainRequestSchema>;

/** Body of `POST /ui/api/config/validate` and `PUT /ui/api/config`: the JSON5 text of the file. */
export const configTextSchema = lazySchema(() => getSchemas().configTextSchema);
export type ConfigText = z.output<typeof configTextSchema>;

/** Body of `POST /ui/login` (form or JSON). */
export const loginSchema = lazySchema(() => getSchemas().loginSchema);

/** One finished request, as the live log (`GET /ui/api/requests`, SSE `request` events) shows it. */
export const requestEventSchema = lazySchema(() => getSchemas().requestEventSchema);
export type RequestEvent = z.output<typeof requestEventSchema>;

/** Renders a zod error as the UI's 400 body: one message per field, naming it. */
export function describeInvalidInput(error: z.ZodError, what: string): string {
  return `${what}: ${error.issues
    .map(issue => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ')}`;
}
