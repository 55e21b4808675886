import { InvalidRequestError, type MessagesRequest } from '@conduit/core';
import { cleanJsonSchema } from './clean-json-schema.js';
import type { OpenAIChatTool, OpenAIToolChoice } from './openai-api.js';

export interface ConvertToOpenAIToolsOptions {
  /** JSON-Schema keywords to strip from tool parameters (see `cleanJsonSchema`). */
  removedSchemaKeywords?: readonly string[];
}

/** Anthropic tool definitions translated to OpenAI function tools. */
export interface OpenAIToolDefinitions {
  tools: OpenAIChatTool[];
  warnings: string[];
}

/**
 * Anthropic `tools` → OpenAI function tools. Server tools (`web_search_20250305` and friends, which
 * carry no `input_schema`) have no OpenAI equivalent and are dropped with a warning. Depends on the
 * tools and the options alone, so a caller may reuse the result for the same tools.
 */
export function convertToOpenAIToolDefinitions(
  requestTools: MessagesRequest['tools'],
  options: ConvertToOpenAIToolsOptions = {},
): OpenAIToolDefinitions {
  const warnings: string[] = [];
  const tools: OpenAIChatTool[] = [];
  for (const tool of requestTools ?? []) {
    if (tool.input_schema === undefined && tool.type !== undefined && tool.type !== 'custom') {
      warnings.push(`server tool "${tool.name}" (${tool.type}) is not supported; dropped.`);
      continue;
    }
    const parameters = (cleanJsonSchema(
      tool.input_schema ?? { type: 'object', properties: {} },
      options.removedSchemaKeywords,
    ) ?? {}) as Record<string, unknown>;
    tools.push({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters,
      },
    });
  }
  return { tools, warnings };
}

/**
 * Anthropic `tools` + `tool_choice` → OpenAI `tools`, `tool_choice`, `parallel_tool_calls`.
 * `definitions`, when given, is {@link convertToOpenAIToolDefinitions} of the request's tools
 * (reused from an earlier request with the same tools).
 */
export function convertToOpenAITools(
  request: Pick<MessagesRequest, 'tools' | 'tool_choice'>,
  options: ConvertToOpenAIToolsOptions = {},
  definitions: OpenAIToolDefinitions = convertToOpenAIToolDefinitions(request.tools, options),
): {
  tools?: OpenAIChatTool[];
  tool_choice?: OpenAIToolChoice;
  parallel_tool_calls?: boolean;
  warnings: string[];
} {
  const { tools } = definitions;
  const warnings = [...definitions.warnings];
  if (tools.length === 0) {
    // OpenAI rejects tool_choice without tools.
    return { warnings };
  }
  const result: ReturnType<typeof convertToOpenAITools> = { tools, warnings };
  const choice = request.tool_choice;
  if (choice) {
    result.tool_choice = convertToolChoice(choice);
    if (choice.disable_parallel_tool_use === true) result.parallel_tool_calls = false;
  }
  return result;
}

function convertToolChoice(choice: NonNullable<MessagesRequest['tool_choice']>): OpenAIToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      if (!choice.name) {
        throw new InvalidRequestError({
          message: 'tool_choice.name: required when tool_choice.type is "tool".',
          field: 'tool_choice.name',
        });
      }
      return { type: 'function', function: { name: choice.name } };
  }
}
