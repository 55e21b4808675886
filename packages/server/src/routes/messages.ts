import type {
  AdmissionTicket,
  Logger,
  RequestAdmission,
  RoutingContext,
  RoutingDecision,
} from '@conduit/core';
import { redactText } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { GatewaySnapshot } from '../gateway/gateway-snapshot.js';
import { RequestAbort, createRequestInput } from '../gateway/request-abort.js';
import type { UpstreamCall, UpstreamCallResult } from '../gateway/upstream-call.js';
import {
  type ResponseHookInput,
  type ResponseHooks,
  runHeadersHook,
  createStreamHook,
} from '../extensions/response-hooks.js';
import type { InFlightRequest, InFlightRequests } from '../lifecycle/in-flight-requests.js';
import {
  type NodeBindings,
  nodeBindingsOf,
  watchNodeClient,
  watchSignalClient,
} from '../lifecycle/node-bindings.js';
import { mapError } from '../middleware/map-error.js';
import { type ConduitRouteHeaders, writeRouteHeaders } from '../middleware/error-handler.js';
import type { RequestObserver } from '../observer/request-observer.js';
import { RequestRecorder } from '../observer/request-recorder.js';
import { readInboundBody } from '../request/inbound-body.js';
import {
  type ClientRenderer,
  type InboundDoor,
  anthropicMessagesDoor,
} from '../inbound/inbound-door.js';
import { type ByteSource, openResultSource } from '../streaming/byte-source-stream.js';
import {
  hasArrived,
  joinChunks,
  readArrived,
  replayByteSource,
} from '../upstream/arrived-byte-source.js';
import { createClientStream } from '../streaming/track-client-stream.js';
import type { ConduitRouterLike } from './router-like.js';

/** What the messages route needs from the server. */
export interface MessagesRouteDependencies {
  getSnapshot(): GatewaySnapshot;
  router: ConduitRouterLike;
  upstreamCall: UpstreamCall;
  observer: RequestObserver | undefined;
  logger: Logger;
  now: () => number;
  createRequestId(): string;
  /** Tracks the request until its response ends, so shutdown can wait for it (or abort it). */
  inFlight?: InFlightRequests;
  responseHooks?: ResponseHooks;
  /** Secrets to strip from error messages (provider keys, `APIKEY`). */
  getSecrets?(): readonly string[];
  /** Admits or refuses each routed request before the upstream call (rate limits, budgets). */
  admission?: RequestAdmission;
}

/** Client credentials and cookies never reach the router, plugins or upstreams. */
const privateHeaders = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);

/**
 * The request's headers for the router (credentials left out). Over a socket they are read from
 * Node's parsed headers object: iterating the request's `Headers` makes the adapter build a full
 * `Headers` copy of every header, per request.
 */
function routingHeaders(headers: Headers, node: NodeBindings | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (node) {
    const parsed = node.incoming.headers;
    for (const name in parsed) {
      const value = parsed[name];
      if (value === undefined || privateHeaders.has(name)) continue;
      result[name] = typeof value === 'string' ? value : value.join(', ');
    }
    return result;
  }
  headers.forEach((value, name) => {
    if (!privateHeaders.has(name)) result[name] = value;
  });
  return result;
}

const subagentTag = Buffer.from('<CCR-SUBAGENT-MODEL>');

/**
 * `POST /v1/messages`: validate → route → one upstream call → send (the first-byte point). The
 * OpenAI doors (`/v1/chat/completions`, `/v1/responses`) run the same handler with their `door`.
 */
export function createMessagesHandler(
  dependencies: MessagesRouteDependencies,
  door: InboundDoor = anthropicMessagesDoor,
) {
  const redact = (text: string) => redactText(text, dependencies.getSecrets?.() ?? []);
  return async (context: Context<ConduitEnv>): Promise<Response> => {
    const snapshot = dependencies.getSnapshot();
    const inFlight = dependencies.inFlight?.begin();
    const node = nodeBindingsOf(context.env);
    const recorder = new RequestRecorder({
      requestId: dependencies.createRequestId(),
      clientApi: door.clientApi,
      observer: dependencies.observer,
      logger: dependencies.logger,
      now: dependencies.now,
      onFinish: inFlight?.end,
    });
    // Over a socket, a record finished just before its answer is sent reaches the observers
    // (usage ledger, metrics) once the answer is written: the answer leaves in this turn of the
    // event loop, the observers run in its check phase, before the client's next read. In-process
    // callers (`app.request()`) see the record at once.
    const afterReply = node ? setImmediate : undefined;
    context.set('conduitRequestId', recorder.requestId);
    let streamed = false;
    try {
      const body = await readInboundBody(context.req);
      const inbound = door.parse(body);
      const { request } = inbound;
      streamed = request.stream === true;
      const principal = context.get('conduitPrincipal');
      // A principal's bindings (a virtual key's project/agent) win over what the client sent.
      const clientHeaders = routingHeaders(context.req.raw.headers, node);
      const headers = principal?.headers
        ? { ...clientHeaders, ...principal.headers }
        : clientHeaders;
      const agentId = headers['x-claude-code-agent-id'];
      const routingContext: RoutingContext = {
        request,
        headers,
        metadata: {
          requestId: recorder.requestId,
          requestedModel: request.model,
          clientApi: door.clientApi,
          ...(agentId ? { agentId } : {}),
          ...principal?.metadata,
        },
      };
      recorder.metadata = { ...routingContext.metadata, stream: streamed };
      const decision = await dependencies.router.route(routingContext);
      // What the upstream gets: the request as beforeRouting hooks left it. The inbound bytes are
      // forwarded only when nothing can have changed it (the subagent tag is stripped in place).
      const routedRequest = routingContext.request ?? request;
      // (Checked only for a door that forwards them: the tag search reads the whole body.)
      const forwardRawBody =
        inbound.forwardRawBody &&
        routedRequest === request &&
        !dependencies.router.mayRewriteRequests?.() &&
        !body.bytes.includes(subagentTag);
      recorder.decision = decision;
      recorder.metadata = { ...recorder.metadata, ...decision.metadata, ...principal?.metadata };
      const target = snapshot.resolveTarget(decision);
      context.set('conduitRoute', {
        provider: target.provider.name,
        model: target.model,
        route: decision.reason,
      });

      // Rate limits and budgets get the exact count; without them nothing reads it up front.
      const ticket = dependencies.admission
        ? await dependencies.admission.admit({
            requestId: recorder.requestId,
            principal,
            request,
            decision,
            metadata: recorder.metadata,
            estimatedInputTokens: decision.tokenCount,
          })
        : undefined;
      if (ticket) settleOnFinish(recorder, ticket);

      // (Its `AbortSignal` is built only if something reads it: see `RequestAbort`.)
      const requestAbort = new RequestAbort();
      const client = node ? watchNodeClient(node) : watchSignalClient(context.req.raw.signal);
      const abortUpstream = (reason: unknown) => requestAbort.abort(reason);
      client.onGone(abortUpstream);
      inFlight?.onAbort(abortUpstream);

      const upstreamStartedAt = dependencies.now();
      const result = await dependencies.upstreamCall(
        createRequestInput(
          {
            decision,
            target,
            request: routedRequest,
            // Raw bytes only for a door that forwards them and when nothing can have changed the
            // request.
            rawBody: forwardRawBody ? body : undefined,
            inboundHeaders: context.req.raw.headers,
            resolveTarget: route => snapshot.resolveTarget(route),
          },
          requestAbort,
        ),
      );
      recorder.upstreamMs = dependencies.now() - upstreamStartedAt;
      return await sendToClient(context, result, {
        recorder,
        decision,
        hooks: dependencies.responseHooks,
        logger: dependencies.logger,
        inFlight,
        redact,
        route: decision.reason,
        abortUpstream: () => requestAbort.abort(new Error('client closed the stream')),
        isClientGone: client.isGone,
        render: inbound.render,
        extraHeaders: ticket?.headers,
        afterReply,
      });
    } catch (error) {
      const mapped = mapError(error);
      recorder.finish(
        { status: mapped.status, outcome: null, errorType: mapped.body.error.type, streamed },
        afterReply,
      );
      throw error;
    }
  };
}

/**
 * The one place where the response starts: headers and the first byte go to the client here, so
 * nothing before this point has committed to an answer (retries and fallbacks are still possible).
 */
async function sendToClient(
  context: Context<ConduitEnv>,
  result: UpstreamCallResult,
  options: {
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
  },
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

/** Hands the finished request back to the admission that let it in, exactly once. */
function settleOnFinish(recorder: RequestRecorder, ticket: AdmissionTicket): void {
  recorder.onRecord(record =>
    ticket.settle({
      status: record.status,
      usage: record.usage,
      servedBy:
        record.servedBy ??
        (record.decision
          ? { provider: record.decision.provider, model: record.decision.model }
          : null),
      errorType: record.errorType,
    }),
  );
}
