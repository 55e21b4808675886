import type { TransformerDefinition, TransformerInstance } from '../transformer-types.js';
import { ThinkTagSplitter, splitThinkTags } from './think-tag-splitter.js';
import { noOptionsProblems } from './transformer-options.js';

type ChatChoice = {
  delta?: Record<string, unknown>;
  message?: Record<string, unknown>;
  finish_reason?: unknown;
};

/**
 * Response hooks that turn inline `openTag…closeTag` reasoning in `content` into
 * `reasoning_content`, which Conduit maps to `thinking` blocks. Streams keep per-stream state.
 */
function thinkTagResponseHooks(
  openTag: string,
  closeTag: string,
): Pick<TransformerInstance, 'createStreamTransform' | 'transformResponseBody'> {
  return {
    transformResponseBody: body => {
      const message = (body.choices as ChatChoice[] | undefined)?.[0]?.message;
      if (!message || typeof message.content !== 'string') return body;
      const { reasoning, text } = splitThinkTags(message.content, openTag, closeTag);
      if (!reasoning) return body;
      const existing =
        typeof message.reasoning_content === 'string' ? `${message.reasoning_content}\n\n` : '';
      message.reasoning_content = `${existing}${reasoning}`;
      message.content = text;
      return body;
    },
    createStreamTransform: () => {
      const splitter = new ThinkTagSplitter(openTag, closeTag);
      let template: Record<string, unknown> | undefined;
      const toChunks = (
        base: Record<string, unknown>,
        pieces: ReturnType<ThinkTagSplitter['push']>,
      ): Record<string, unknown>[] =>
        pieces.map(piece => ({
          id: base.id,
          model: base.model,
          object: base.object,
          choices: [
            {
              index: 0,
              delta:
                piece.kind === 'reasoning'
                  ? { reasoning_content: piece.text }
                  : { content: piece.text },
              finish_reason: null,
            },
          ],
        }));
      return {
        transform(data) {
          const choices = data.choices as ChatChoice[] | undefined;
          const choice = choices?.[0];
          const delta = choice?.delta;
          template ??= { id: data.id, model: data.model, object: data.object };
          const pieces: ReturnType<ThinkTagSplitter['push']> = [];
          if (delta && typeof delta.content === 'string')
            pieces.push(...splitter.push(delta.content));
          if (choice?.finish_reason) pieces.push(...splitter.flush());
          if (!delta || typeof delta.content !== 'string') {
            return [...toChunks(data, pieces), data];
          }
          const { content: _content, ...restDelta } = delta;
          const output: Record<string, unknown>[] = toChunks(data, pieces);
          const hasOther =
            Object.keys(restDelta).some(key => key !== 'role') ||
            choice?.finish_reason ||
            data.usage;
          if (hasOther) output.push({ ...data, choices: [{ ...choice, delta: restDelta }] });
          return output;
        },
        flush() {
          return toChunks(template ?? {}, splitter.flush());
        },
      };
    },
  };
}

/**
 * `extrathinktag` (CCR): models that write `<think>…</think>` inline (some Qwen, GLM, MiniMax
 * deployments) get it split into `thinking`, streaming included (tags split across chunks are
 * handled).
 */
export const extrathinktagTransformer: TransformerDefinition = {
  name: 'extrathinktag',
  description: 'Splits <think>…</think> in content into thinking.',
  validateOptions: options => noOptionsProblems('extrathinktag', options),
  create: () => ({ name: 'extrathinktag', ...thinkTagResponseHooks('<think>', '</think>') }),
};

const forceReasoningPrompt = `Always think before answering. Even if the problem seems simple, always write down your reasoning process explicitly.

Output format:
<reasoning_content>
Your detailed thinking process goes here
</reasoning_content>
Your final answer must follow after the closing tag above.`;

/** CCR re-injects at most this many earlier reasoning turns into the history. */
const maxInterleavedReasoning = 10;

type ChatMessage = { role?: string; content?: unknown; reasoning_content?: unknown };

/**
 * `forcereasoning` (CCR): makes a model without native reasoning think in
 * `<reasoning_content>` tags (a prompt on the last user turn), replays its earlier reasoning in the
 * history (the last 10 assistant turns), and parses the tags back into `thinking`.
 */
export const forcereasoningTransformer: TransformerDefinition = {
  name: 'forcereasoning',
  description: 'Prompts for <reasoning_content> tags and maps them to thinking.',
  validateOptions: options => noOptionsProblems('forcereasoning', options),
  create: () => ({
    name: 'forcereasoning',
    transformRequestBody: body => {
      const messages = body.messages as ChatMessage[] | undefined;
      if (!Array.isArray(messages) || messages.length === 0) return body;
      let replayed = 0;
      for (const message of [...messages].reverse()) {
        if (message.role !== 'assistant') continue;
        const reasoning = message.reasoning_content;
        if (typeof reasoning === 'string' && reasoning && replayed < maxInterleavedReasoning) {
          replayed++;
          const content = typeof message.content === 'string' ? message.content : '';
          message.content = `<reasoning_content>${reasoning}</reasoning_content>\n${content}`;
        }
        delete message.reasoning_content;
      }
      const last = messages.at(-1)!;
      if (last.role === 'user') {
        const parts =
          typeof last.content === 'string'
            ? [{ type: 'text', text: last.content }]
            : Array.isArray(last.content)
              ? last.content
              : [];
        last.content = [...parts, { type: 'text', text: forceReasoningPrompt }];
      } else if (last.role === 'tool') {
        messages.push({ role: 'user', content: forceReasoningPrompt });
      }
      return body;
    },
    ...thinkTagResponseHooks('<reasoning_content>', '</reasoning_content>'),
  }),
};
