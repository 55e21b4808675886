/**
 * Adds Conduit's metadata to an Anthropic SSE response as SSE comments.
 * @module
 */
import {
  type ConduitResponseMetadata,
  formatConduitComment,
  type ResponseUsage,
} from './conduit-metadata.js';

/** Options of {@link createStreamMetadataInjector}. */
export interface StreamMetadataInjectorOptions {
  /** Sent in the `start` comment, before the first event (routing decision, ids). */
  metadata: ConduitResponseMetadata;
  /** Prices the usage read from the stream; return null when the price is unknown. */
  priceUsage?(usage: ResponseUsage): number | null;
  /** Called once with the `end` metadata (usage and cost) when the stream completes. */
  onComplete?(metadata: ConduitResponseMetadata): void;
}

const frameBoundary = /\r\n\r\n|\n\n|\r\r/;

/**
 * A TransformStream over SSE bytes that passes every event through unchanged and adds two SSE
 * comments: `: conduit {"phase":"start",...}` before the first byte, and
 * `: conduit {"phase":"end","usage":{...},"costUsd":...}` right before `message_stop` (or at the
 * end, if the stream has no `message_stop`). Usage is read from `message_start` and
 * `message_delta` as Anthropic reports it.
 *
 * Comments are the carrier because the SSE specification makes every parser skip them: the
 * Anthropic SDK (`Stream`, `MessageStream`) and Claude Code parse the stream exactly as before,
 * whereas an extra `event:` would be yielded by the SDK's raw iterator as an unknown event.
 *
 * @example
 * const body = upstream.body.pipeThrough(
 *   createStreamMetadataInjector({ metadata: { provider, model, route, projectId } }),
 * );
 */
export function createStreamMetadataInjector(
  options: StreamMetadataInjectorOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const usage: ResponseUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
  let sawUsage = false;
  let buffer = '';
  let ended = false;

  const endComment = (): string => {
    ended = true;
    const metadata: ConduitResponseMetadata = { ...options.metadata, phase: 'end' };
    if (sawUsage) {
      metadata.usage = { ...usage };
      metadata.costUsd = options.priceUsage ? options.priceUsage({ ...usage }) : null;
    }
    options.onComplete?.(metadata);
    return formatConduitComment(metadata);
  };

  const readFrame = (frame: string): void => {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of frame.split(/\r\n|\r|\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
    }
    if (event !== 'message_start' && event !== 'message_delta') return;
    let payload: unknown;
    try {
      payload = JSON.parse(data.join('\n'));
    } catch {
      return;
    }
    const record = payload as { message?: { usage?: unknown }; usage?: unknown };
    readUsage(event === 'message_start' ? record.message?.usage : record.usage);
  };

  const readUsage = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    const reported = value as Record<string, unknown>;
    const take = (key: string, field: keyof ResponseUsage) => {
      const count = reported[key];
      if (typeof count === 'number' && Number.isFinite(count) && count >= 0) {
        usage[field] = count;
        sawUsage = true;
      }
    };
    take('input_tokens', 'inputTokens');
    take('output_tokens', 'outputTokens');
    take('cache_read_input_tokens', 'cacheReadTokens');
    take('cache_creation_input_tokens', 'cacheWriteTokens');
  };

  const isMessageStop = (frame: string): boolean =>
    /(^|[\r\n])event:\s*message_stop\s*($|[\r\n])/.test(frame);

  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(formatConduitComment({ ...options.metadata, phase: 'start' })),
      );
    },
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      let output = '';
      for (;;) {
        const match = frameBoundary.exec(buffer);
        if (!match) break;
        const end = match.index + match[0].length;
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end);
        readFrame(frame);
        if (!ended && isMessageStop(frame)) output += endComment();
        output += frame;
      }
      if (output !== '') controller.enqueue(encoder.encode(output));
    },
    flush(controller) {
      buffer += decoder.decode();
      if (buffer !== '') readFrame(buffer);
      // An unterminated last frame stays unterminated (and after the comment), so the client
      // sees exactly what it would have seen without Conduit.
      const output = (ended ? '' : endComment()) + buffer;
      if (output !== '') controller.enqueue(encoder.encode(output));
    },
  });
}
