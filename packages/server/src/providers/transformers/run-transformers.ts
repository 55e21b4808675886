import type {
  StreamDataTransform,
  TransformerContext,
  TransformerInstance,
} from './transformer-types.js';

/** Runs the request hooks in pipeline order (awaiting async ones). */
export async function applyRequestTransformers(
  body: Record<string, unknown>,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
): Promise<Record<string, unknown>> {
  let current = body;
  for (const transformer of transformers) {
    if (!transformer.transformRequestBody) continue;
    current = (await transformer.transformRequestBody(current, context)) ?? current;
  }
  return current;
}

/** Runs the non-streaming response hooks (already in CCR's reverse order). */
export async function applyResponseBodyTransformers(
  body: Record<string, unknown>,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
): Promise<Record<string, unknown>> {
  let current = body;
  for (const transformer of transformers) {
    if (!transformer.transformResponseBody) continue;
    current = (await transformer.transformResponseBody(current, context)) ?? current;
  }
  return current;
}

/** Runs the raw-bytes stream hooks (custom modules) over the upstream body. */
export async function applyResponseStreamTransformers(
  body: ReadableStream<Uint8Array>,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
): Promise<ReadableStream<Uint8Array>> {
  let current = body;
  for (const transformer of transformers) {
    if (!transformer.transformResponseStream) continue;
    current = await transformer.transformResponseStream(current, context);
  }
  return current;
}

function toStreamTransform(
  transformer: TransformerInstance,
  context: TransformerContext,
): StreamDataTransform | undefined {
  if (transformer.createStreamTransform) return transformer.createStreamTransform(context);
  const hook = transformer.transformStreamData;
  if (!hook) return undefined;
  return {
    transform(data) {
      const result = hook.call(transformer, data, context);
      if (result === null) return [];
      return [result ?? data];
    },
  };
}

/** The stream-payload hooks of one response stream, chained: each output feeds the next hook. */
export interface StreamDataPipeline {
  push(data: Record<string, unknown>): Record<string, unknown>[];
  /** Flushes every stage in order (a stage's flushed payloads pass through the later stages). */
  end(): Record<string, unknown>[];
  /** True when no hook is configured. */
  readonly empty: boolean;
}

/** Builds the per-stream chain of payload hooks, in the given (response) order. */
export function createStreamDataPipeline(
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
): StreamDataPipeline {
  const stages = transformers
    .map(transformer => toStreamTransform(transformer, context))
    .filter((stage): stage is StreamDataTransform => stage !== undefined);
  const runFrom = (start: number, items: Record<string, unknown>[]) => {
    let current = items;
    for (let index = start; index < stages.length; index++) {
      current = current.flatMap(item => stages[index]!.transform(item));
    }
    return current;
  };
  return {
    empty: stages.length === 0,
    push: data => runFrom(0, [data]),
    end: () => {
      const output: Record<string, unknown>[] = [];
      stages.forEach((stage, index) => {
        output.push(...runFrom(index + 1, stage.flush?.() ?? []));
      });
      return output;
    },
  };
}
