import type { AdmissionTicket, Logger, RequestAdmission, RoutingContext } from '@conduit/core';
import { redactText } from '@conduit/core';
import type { Context } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import type { GatewaySnapshot } from '../gateway/gateway-snapshot.js';
import { RequestAbort, createRequestInput } from '../gateway/request-abort.js';
import type { UpstreamCall } from '../gateway/upstream-call.js';
import type { ResponseHooks } from '../extensions/response-hooks.js';
import type { InFlightRequests } from '../lifecycle/in-flight-requests.js';
import {
  type NodeBindings,
  nodeBindingsOf,
  watchNodeClient,
  watchSignalClient,
} from '../lifecycle/node-bindings.js';
import { mapError } from '../middleware/map-error.js';
import type { RequestObserver } from '../observer/request-observer.js';
import { RequestRecorder } from '../observer/request-recorder.js';
import { readInboundBody } from '../request/inbound-body.js';
import { type InboundDoor, anthropicMessagesDoor } from '../inbound/inbound-door.js';
import type { ConduitRouterLike } from './router-like.js';
import { sendToClient } from './send-to-client.js';

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
