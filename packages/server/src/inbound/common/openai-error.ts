import type { AnthropicErrorType } from '@conduit/core';

/** OpenAI's error envelope. @see https://platform.openai.com/docs/guides/error-codes */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const openAIErrorShapes: Record<AnthropicErrorType, { type: string; code: string | null }> = {
  invalid_request_error: { type: 'invalid_request_error', code: null },
  authentication_error: { type: 'invalid_request_error', code: 'invalid_api_key' },
  permission_error: { type: 'invalid_request_error', code: 'permission_denied' },
  not_found_error: { type: 'invalid_request_error', code: 'model_not_found' },
  request_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
  rate_limit_error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
  api_error: { type: 'server_error', code: null },
  overloaded_error: { type: 'server_error', code: 'overloaded' },
  timeout_error: { type: 'server_error', code: 'timeout' },
};

/**
 * An error Conduit would send in Anthropic's envelope → OpenAI's `{"error":{message,type,param,code}}`
 * (the status stays the same). `param` is the offending field when Conduit knows it.
 */
export function toOpenAIErrorBody(
  error: { type: string; message: string },
  param?: string,
): OpenAIErrorBody {
  const shape = openAIErrorShapes[error.type as AnthropicErrorType] ?? {
    type: error.type,
    code: null,
  };
  return {
    error: { message: error.message, type: shape.type, param: param ?? null, code: shape.code },
  };
}
