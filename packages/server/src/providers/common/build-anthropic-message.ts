import type { MessagesResponse, ResponseContentBlock, StopReason } from '@conduit/core';
import type { UsageCounts } from '../provider-adapter.js';
import { createMessageId } from './response-ids.js';

/** A converted non-streaming answer: the Anthropic message and the usage to account. */
export interface ConvertedMessage {
  message: MessagesResponse;
  usage: UsageCounts;
  /** True when the upstream reported no usage and it was estimated from the content. */
  usageEstimated: boolean;
}

/**
 * Wraps converted `content` in an Anthropic message (`msg_…` id kept from the upstream id) with
 * the upstream's usage, or an estimate (the request's estimated input tokens, output from the
 * content) when the upstream reported none.
 */
export function buildAnthropicMessage(options: {
  upstreamId: string | null | undefined;
  model: string;
  content: ResponseContentBlock[];
  stopReason: StopReason;
  upstreamUsage: UsageCounts | undefined;
  estimatedInputTokens: number | undefined;
}): ConvertedMessage {
  const { content, upstreamUsage } = options;
  const usage: UsageCounts = upstreamUsage ?? {
    input_tokens: options.estimatedInputTokens ?? 0,
    output_tokens: estimateOutputTokens(content),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  return {
    message: {
      id: createMessageId(options.upstreamId),
      type: 'message',
      role: 'assistant',
      model: options.model,
      content,
      stop_reason: options.stopReason,
      stop_sequence: null,
      usage: { ...usage },
    },
    usage,
    usageEstimated: upstreamUsage === undefined,
  };
}

/** Rough output estimate (4 characters per token) for vendors that report no usage. */
export function estimateOutputTokens(content: ResponseContentBlock[]): number {
  let characters = 0;
  for (const block of content) {
    if (block.type === 'text') characters += block.text.length;
    else if (block.type === 'thinking') characters += block.thinking.length;
    else if (block.type === 'tool_use') characters += JSON.stringify(block.input).length;
  }
  return Math.ceil(characters / 4);
}
