/**
 * The request rules OpenAI's Responses API enforces, written from the public API reference, so
 * the mock rejects what the real endpoint rejects (with its 400 error shape).
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @module
 */

const parameters = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'max_output_tokens',
  'max_tool_calls',
  'stream',
  'stream_options',
  'store',
  'include',
  'temperature',
  'top_p',
  'top_logprobs',
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'text',
  'truncation',
  'previous_response_id',
  'service_tier',
  'background',
  'conversation',
  'prompt',
]);

const userPartTypes = new Set(['input_text', 'input_image', 'input_file', 'input_audio']);
const assistantPartTypes = new Set(['output_text', 'refusal']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function validateMessage(item: Record<string, unknown>, path: string, problems: string[]): void {
  const role = item.role;
  if (!['user', 'assistant', 'system', 'developer'].includes(String(role))) {
    problems.push(
      `Invalid value: '${String(role)}'. Supported values are: 'assistant', 'system', 'developer', and 'user'. (${path}.role)`,
    );
  }
  if (typeof item.content === 'string') return;
  if (!Array.isArray(item.content)) {
    problems.push(`Missing required parameter: '${path}.content'.`);
    return;
  }
  const allowed = role === 'assistant' ? assistantPartTypes : userPartTypes;
  item.content.forEach((part, index) => {
    const type = isObject(part) ? String(part.type) : 'none';
    if (!allowed.has(type)) {
      problems.push(
        `Invalid value: '${type}'. Supported values are: ${[...allowed].map(name => `'${name}'`).join(', ')}. (${path}.content[${index}].type)`,
      );
    }
  });
}

/** Problems with a `POST /v1/responses` body (empty when OpenAI would accept it). */
export function validateResponsesRequest(body: unknown): string[] {
  if (!isObject(body)) return ['The request body must be a JSON object.'];
  const problems: string[] = [];
  for (const key of Object.keys(body)) {
    if (!parameters.has(key)) problems.push(`Unsupported parameter: '${key}'.`);
  }
  if (typeof body.model !== 'string') problems.push("Missing required parameter: 'model'.");
  if (
    body.max_output_tokens !== undefined &&
    (typeof body.max_output_tokens !== 'number' || body.max_output_tokens < 16)
  ) {
    problems.push(
      "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16.",
    );
  }
  const callIds = new Set<string>();
  const input = body.input;
  if (typeof input !== 'string' && !Array.isArray(input))
    problems.push("Missing required parameter: 'input'.");
  (Array.isArray(input) ? input : []).forEach((item, index) => {
    const path = `input[${index}]`;
    if (!isObject(item)) {
      problems.push(`Invalid type for '${path}': expected an object.`);
      return;
    }
    const type = item.type ?? 'message';
    if (type === 'message') validateMessage(item, path, problems);
    else if (type === 'function_call') {
      if (
        typeof item.call_id !== 'string' ||
        typeof item.name !== 'string' ||
        typeof item.arguments !== 'string'
      ) {
        problems.push(
          `Missing required parameter: '${path}.call_id', '${path}.name' and '${path}.arguments' must be strings.`,
        );
      } else callIds.add(item.call_id);
    } else if (type === 'function_call_output') {
      if (typeof item.output !== 'string' && !Array.isArray(item.output))
        problems.push(`Missing required parameter: '${path}.output'.`);
      if (!callIds.has(String(item.call_id))) {
        problems.push(
          `No tool call found for function call output with call_id ${String(item.call_id)}.`,
        );
      }
    } else if (type === 'reasoning') {
      if (typeof item.id !== 'string' || !Array.isArray(item.summary)) {
        problems.push(
          `Missing required parameter: '${path}.summary' (reasoning items need id and summary).`,
        );
      }
    } else problems.push(`Invalid value: '${String(type)}' (${path}.type).`);
  });
  const names = new Set<string>();
  if (body.tools !== undefined && !Array.isArray(body.tools))
    problems.push("Invalid type for 'tools': expected an array.");
  (Array.isArray(body.tools) ? body.tools : []).forEach((tool, index) => {
    const path = `tools[${index}]`;
    if (!isObject(tool) || tool.type !== 'function') {
      problems.push(`Invalid value for '${path}.type'.`);
      return;
    }
    if (typeof tool.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) {
      problems.push(`Invalid '${path}.name': string does not match pattern.`);
    } else names.add(tool.name);
    if (!isObject(tool.parameters))
      problems.push(`Missing required parameter: '${path}.parameters'.`);
    if (tool.strict === true) {
      const schema = tool.parameters as Record<string, unknown> | undefined;
      const properties = isObject(schema?.properties) ? Object.keys(schema.properties) : [];
      const required = Array.isArray(schema?.required) ? schema.required : [];
      if (
        schema?.additionalProperties !== false ||
        properties.some(name => !required.includes(name))
      ) {
        problems.push(
          `Invalid schema for function '${String(tool.name)}': In context=(), 'additionalProperties' is required to be supplied and to be false, and 'required' must include every property.`,
        );
      }
    }
  });
  const choice = body.tool_choice;
  if (choice !== undefined) {
    if (typeof choice === 'string') {
      if (!['auto', 'required', 'none'].includes(choice))
        problems.push(`Invalid value: '${choice}' (tool_choice).`);
    } else if (!isObject(choice) || choice.type !== 'function' || !names.has(String(choice.name))) {
      problems.push("Invalid 'tool_choice': the named function is not in 'tools'.");
    }
  }
  if (body.reasoning !== undefined) {
    const reasoning = isObject(body.reasoning) ? body.reasoning : {};
    if (
      reasoning.effort !== undefined &&
      !['minimal', 'low', 'medium', 'high'].includes(String(reasoning.effort))
    ) {
      problems.push(`Invalid value: '${String(reasoning.effort)}' (reasoning.effort).`);
    }
    if (
      reasoning.summary !== undefined &&
      !['auto', 'concise', 'detailed'].includes(String(reasoning.summary))
    ) {
      problems.push(`Invalid value: '${String(reasoning.summary)}' (reasoning.summary).`);
    }
  }
  return problems;
}
