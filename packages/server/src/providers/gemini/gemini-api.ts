/**
 * The Gemini API (`generateContent` / `streamGenerateContent`) wire format, as far as Conduit uses
 * it. Request types are plain interfaces; response schemas are loose (`.nullish()`, `looseObject`)
 * so fields Google adds later never turn into outages.
 * @see https://ai.google.dev/api/generate-content
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineGeminiSchemas } from './gemini-api-schemas.js';

type Schemas = ReturnType<typeof defineGeminiSchemas>;

/** Every schema, built on the first use of any of them: starting the gateway does not load zod. */
const getSchemas = schemasOnFirstUse(defineGeminiSchemas);

/** One part of a content. Exactly one data field is set (plus `thought`/`thoughtSignature`). */
export interface GeminiPart {
  text?: string;
  /** The part is a thought summary (only with `includeThoughts`). */
  thought?: boolean;
  /** Opaque signature Gemini needs back on the same part in the next turn. */
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { name: string; args: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; response: Record<string, unknown>; id?: string };
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

/** Gemini's subset of OpenAPI 3.0 Schema. @see https://ai.google.dev/api/caching#Schema */
export type GeminiSchema = Record<string, unknown>;

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** Omitted for functions without parameters (an empty OBJECT schema is rejected). */
  parameters?: GeminiSchema;
}

export type GeminiTool =
  | { functionDeclarations: GeminiFunctionDeclaration[] }
  | { googleSearch: Record<string, never> };

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE';

export interface GeminiToolConfig {
  functionCallingConfig: { mode: GeminiFunctionCallingMode; allowedFunctionNames?: string[] };
}

export interface GeminiThinkingConfig {
  /** Tokens for thinking; -1 lets the model decide, 0 switches thinking off (where allowed). */
  thinkingBudget?: number;
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  stopSequences?: string[];
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  thinkingConfig?: GeminiThinkingConfig;
}

/** The `generateContent` request body. */
export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { parts: Array<{ text: string }> };
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  [key: string]: unknown;
}

export type GeminiResponsePart = z.infer<Schemas['geminiPartSchema']>;

export const geminiUsageSchema = lazySchema(() => getSchemas().geminiUsageSchema);

export type GeminiUsage = z.infer<typeof geminiUsageSchema>;

/** A `generateContent` response, and each chunk of `streamGenerateContent?alt=sse`. */
export const geminiResponseSchema = lazySchema(() => getSchemas().geminiResponseSchema);

export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
