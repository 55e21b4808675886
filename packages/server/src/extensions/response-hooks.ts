import type { Logger, ResponseHookInput, ResponseHooks } from '@conduit/core';

export type { ResponseHookInput, ResponseHooks };

function warn(logger: Logger, hook: string, error: unknown): void {
  logger.warn(`response hook ${hook} failed; response sent without it`, {
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Runs `headers`, isolated. */
export function runHeadersHook(
  hooks: ResponseHooks | undefined,
  input: ResponseHookInput,
  logger: Logger,
): Record<string, string> {
  if (!hooks?.headers) return {};
  try {
    const headers = hooks.headers(input);
    if (!headers) return {};
    // Header values must be strings; anything else would make `new Headers` throw.
    return Object.fromEntries(
      Object.entries(headers).filter(([, value]) => typeof value === 'string'),
    );
  } catch (error) {
    warn(logger, 'headers', error);
    return {};
  }
}

/** Pipes `stream` through `transformStream`, isolated (a failing factory leaves it unchanged). */
export function runStreamHook(
  hooks: ResponseHooks | undefined,
  input: ResponseHookInput,
  stream: ReadableStream<Uint8Array>,
  logger: Logger,
): ReadableStream<Uint8Array> {
  const transform = createStreamHook(hooks, input, logger);
  return transform ? stream.pipeThrough(transform) : stream;
}

/**
 * The `transformStream` hook's transform for this answer, or undefined when there is none (then
 * the answer's bytes need no web stream), isolated as {@link runStreamHook}.
 */
export function createStreamHook(
  hooks: ResponseHooks | undefined,
  input: ResponseHookInput,
  logger: Logger,
): TransformStream<Uint8Array, Uint8Array> | undefined {
  if (!hooks?.transformStream) return undefined;
  try {
    return hooks.transformStream(input);
  } catch (error) {
    warn(logger, 'transformStream', error);
    return undefined;
  }
}

/**
 * Chains response hooks: headers merge (later hooks win), stream transforms run in order.
 */
export function combineResponseHooks(
  hooks: readonly (ResponseHooks | undefined)[],
): ResponseHooks | undefined {
  const present = hooks.filter((entry): entry is ResponseHooks => entry !== undefined);
  if (present.length <= 1) return present[0];
  return {
    headers: input => Object.assign({}, ...present.map(entry => entry.headers?.(input))),
    transformStream: input => {
      const transforms = present
        .map(entry => entry.transformStream?.(input))
        .filter((entry): entry is TransformStream<Uint8Array, Uint8Array> => entry !== undefined);
      const [head, ...rest] = transforms;
      if (!head) return undefined;
      let readable = head.readable;
      for (const transform of rest) readable = readable.pipeThrough(transform);
      return { writable: head.writable, readable };
    },
  };
}
