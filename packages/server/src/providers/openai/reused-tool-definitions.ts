import { toolsSourceOf } from '../../request/tools-source.js';
import { encodeJSONOnce } from '../common/encode-json-body.js';
import type { ProviderCallInput } from '../provider-adapter.js';
import { defaultRemovedSchemaKeywords } from './clean-json-schema.js';
import {
  type OpenAIToolDefinitions,
  convertToOpenAIToolDefinitions,
} from './convert-to-openai-tools.js';

/**
 * The request's tools translated and serialized once per distinct tools text (see
 * `request/tools-source.ts`), or undefined when they must be translated afresh: the request may
 * differ from its bytes (no `rawBodyBytes`: a plugin could have edited it), or a request
 * transformer could edit the translated body (the shared tools are frozen, and their bytes fixed).
 */
export function reusedToolDefinitions(
  input: ProviderCallInput,
  removedSchemaKeywords: readonly string[] = defaultRemovedSchemaKeywords,
): OpenAIToolDefinitions | undefined {
  if (!input.rawBodyBytes) return undefined;
  if (input.pipeline.requestTransformers.some(transformer => transformer.transformRequestBody)) {
    return undefined;
  }
  const source = toolsSourceOf(input.request);
  if (!source) return undefined;
  return source.derive(`openai-chat ${JSON.stringify(removedSchemaKeywords)}`, () => {
    // Its own copy: the shared definitions are frozen, and must not freeze this request's objects.
    const definitions = convertToOpenAIToolDefinitions(structuredClone(input.request.tools), {
      removedSchemaKeywords,
    });
    encodeJSONOnce(definitions.tools);
    return definitions;
  });
}
