import { InvalidRequestError, type MessagesRequest } from '@conduit/core';
import type { GeminiFunctionDeclaration, GeminiTool, GeminiToolConfig } from './gemini-api.js';
import { convertToGeminiSchema } from './convert-to-gemini-schema.js';

/** Anthropic's web search server tool names (`web_search_20250305`, …). */
function isWebSearchTool(tool: NonNullable<MessagesRequest['tools']>[number]): boolean {
  return typeof tool.type === 'string' && tool.type.startsWith('web_search');
}

/**
 * Anthropic `tools` + `tool_choice` → Gemini `tools` + `toolConfig`:
 * - each custom tool → a function declaration with its schema cleaned (`convertToGeminiSchema`);
 * - the web search server tool → `googleSearch` (Gemini's grounding);
 * - `tool_choice`: auto → AUTO, any → ANY, tool → ANY + `allowedFunctionNames`, none → NONE.
 *   `toolConfig` is only sent next to function declarations: Gemini answers 400 otherwise
 *   (the bug CCR PR #1207 fixed).
 */
export function convertToGeminiTools(request: Pick<MessagesRequest, 'tools' | 'tool_choice'>): {
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  warnings: string[];
} {
  const warnings: string[] = [];
  const declarations: GeminiFunctionDeclaration[] = [];
  let googleSearch = false;
  for (const tool of request.tools ?? []) {
    if (tool.input_schema === undefined && tool.type !== undefined && tool.type !== 'custom') {
      if (isWebSearchTool(tool)) googleSearch = true;
      else warnings.push(`server tool "${tool.name}" (${tool.type}) is not supported; dropped.`);
      continue;
    }
    const parameters = convertToGeminiSchema(tool.input_schema);
    declarations.push({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      ...(parameters === undefined ? {} : { parameters }),
    });
  }
  const tools: GeminiTool[] = [];
  if (declarations.length > 0) tools.push({ functionDeclarations: declarations });
  if (googleSearch) tools.push({ googleSearch: {} });
  const result: ReturnType<typeof convertToGeminiTools> = { warnings };
  if (tools.length > 0) result.tools = tools;
  const choice = request.tool_choice;
  if (choice && declarations.length > 0)
    result.toolConfig = convertToolChoice(choice, declarations);
  return result;
}

function convertToolChoice(
  choice: NonNullable<MessagesRequest['tool_choice']>,
  declarations: GeminiFunctionDeclaration[],
): GeminiToolConfig {
  switch (choice.type) {
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'any':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'tool': {
      if (!choice.name || !declarations.some(declaration => declaration.name === choice.name)) {
        throw new InvalidRequestError({
          message: `tool_choice.name: "${choice.name ?? ''}" is not one of the request's tools.`,
          field: 'tool_choice.name',
        });
      }
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
    }
  }
}
