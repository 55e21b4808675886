/**
 * Sending the upstream call's answer to the client: headers, JSON or a stream in the client's API,
 * and the request's record when the answer ends.
 * @module
 */
import type { Logger, RoutingDecision } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { UpstreamCallResult } from '../gateway/upstream-call.js';
import {
  type ResponseHookInput,
  type ResponseHooks,
  createStreamHook,
  runHeadersHook,
} from '../extensions/response-hooks.js';
import type { ClientRenderer } from '../inbound/inbound-door.js';
import type { InFlightRequest } from '../lifecycle/in-flight-requests.js';
import { type ConduitRouteHeaders, writeRouteHeaders } from '../middleware/error-handler.js';
import type { RequestRecorder } from '../observer/request-recorder.js';
import { type ByteSource, openResultSource } from '../streaming/byte-source-stream.js';
import { createClientStream } from '../streaming/track-client-stream.js';
import {
  hasArrived,
  joinChunks,
  readArrived,
  replayByteSource,
} from '../upstream/arrived-byte-source.js';

/** What {@link sendToClient} needs besides the context and the upstream call's result. */
export interface SendToClientOptions {
  recorder: RequestRecorder;
  decision: RoutingDecision;
  hooks: ResponseHooks | undefined;
  logger: Logger;
  /** Its `signal` ends a stream at shutdown (read only for streams: it is made on first read). */
  inFlight: InFlightRequest | undefined;
  redact(text: string): string;
  route: string;
  abortUpstream(): void;
  isClientGone(): boolean;
  /** Renders the Anthropic-shaped answer in the client's API. */
  render: ClientRenderer;
  /** Headers from the admission (`anthropic-ratelimit-*`). */
  extraHeaders?: Record<string, string>;
  /** Schedules the observers of a record finished before its answer is sent, after the write. */
  afterReply?: (task: () => void) => unknown;
}

/**
 * The one place where the response starts: headers and the first byte go to the client here, so
 * nothing before this point has committed to an answer (retries and fallbacks are still possible).
 */
export async function sendToClient(
  context: Context<ConduitEnv>,
  result: UpstreamCallResult,
  options: SendToClientOptions,
): Promise<Response> {
  const { recorder } = options;
  recorder.servedBy = { provider: result.target.provider.name, model: result.target.model };
  const served = {
    provider: result.target.provider.name,
    model: result.target.model,
    route: options.route,
  };
  context.set('conduitRoute', served);
  // Only response hooks read this (most gateways have none).
  const hookInput: ResponseHookInput | undefined = options.hooks && {
    requestId: recorder.requestId,
    decision: options.decision,
    metadata: recorder.metadata,
    servedBy: { provider: served.provider, model: served.model },
    streamed: result.kind !== 'json',
    getOutcome: () => (result.kind === 'json' ? result.outcome : result.getOutcome()),
  };
  const headers = responseHeaders(
    result.responseHeaders,
    options.extraHeaders,
    hookInput ? runHeadersHook(options.hooks, hookInput, options.logger) : undefined,
    served,
    recorder.requestId,
  );
  if (result.kind === 'json') {
    headers['content-type'] = 'application/json';
    recorder.markFirstByte();
    recorder.finish(
      { status: 200, outcome: result.outcome, errorType: null, streamed: false },
      options.afterReply,
    );
    return new Response(options.render.json(result.body), { status: 200, headers });
  }
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  // Without a stream hook, the bytes go to the client stream as they are read (no web stream in
  // between; a short answer read whole needs none at all).
  const transform = hookInput && createStreamHook(options.hooks, hookInput, options.logger);
  let source: ByteSource;
  if (!transform && options.render.streamSource) {
    const resultSource = openResultSource(result);
    source = options.render.streamSource(resultSource);
    if (hasArrived(resultSource)) {
      // The whole answer is here (see `markArrived`): it goes out as one body, as a short stream
      // read whole by the client stream does, without that stream's reads and turn of the loop.
      const whole = await readArrived(source);
      if (!whole.failure && whole.chunks.length > 0) {
        recorder.markFirstByte();
        const outcome = result.getOutcome();
        recorder.finish(
          { status: 200, outcome, errorType: outcome.errorType ?? null, streamed: true },
          options.afterReply,
        );
        return new Response(joinChunks(whole.chunks), { status: 200, headers });
      }
      // Nothing, or a failed read: the client stream reports it as it always did.
      source = replayByteSource(whole.chunks, whole.failure);
    }
  } else {
    source = options.render.stream(
      transform ? result.stream.pipeThrough(transform) : result.stream,
    );
  }
  // Whether the answer is still to be sent (while the stream is read whole, if it has ended).
  let sending = true;
  const client = createClientStream(source, {
    serverAbort: options.inFlight,
    redact: options.redact,
    onFirstByte: () => recorder.markFirstByte(),
    onClientClose: options.abortUpstream,
    isClientGone: options.isClientGone,
    onEnd: end => {
      const outcome = result.getOutcome();
      const errorType =
        end.kind === 'client-closed'
          ? 'client_closed'
          : end.kind === 'failed'
            ? 'stream_error'
            : (outcome.errorType ?? null);
      // A stream that ended while being read whole is still to be sent, as a JSON answer is; one
      // that ends while being streamed has sent its last bytes already.
      recorder.finish(
        { status: 200, outcome, errorType, streamed: true },
        sending ? options.afterReply : undefined,
      );
    },
  });
  // A short answer that has already ended goes out as one body (one write, not three).
  const whole = await client.readWholeIfEnded();
  sending = false;
  return new Response(whole ?? client.stream, { status: 200, headers });
}

/**
 * The answer's headers as a plain object (lower-case names): the Node adapter writes such a
 * `Response`'s headers as they are, where a `Headers` object is validated, copied and converted
 * back. Only a response hook's headers (whatever a user's code returns) go through `Headers`,
 * which validates them (an invalid one fails the request, as before); ours are known-good.
 * Later groups win: upstream and admission headers, the hook's, then Conduit's own (the route
 * headers and the request id), all written into one object.
 */
function responseHeaders(
  upstream: Record<string, string>,
  admission: Record<string, string> | undefined,
  fromHook: Record<string, string> | undefined,
  served: ConduitRouteHeaders,
  requestId: string,
): Record<string, string> {
  // Assigned into a new object, not spread: each header added afterwards (six or more here) to
  // a spread copy of the attempt's headers built a new hidden class in V8, about 10 µs in all
  // per request (the spread copy's map is outside the transition tree); assigned, a few hundred ns.
  const headers: Record<string, string> = Object.assign({}, upstream);
  if (admission) Object.assign(headers, admission);
  if (fromHook && Object.keys(fromHook).length > 0) {
    new Headers(fromHook).forEach((value, name) => {
      headers[name] = value;
    });
  }
  writeRouteHeaders(headers, served);
  headers['x-conduit-request-id'] = requestId;
  return headers;
}
