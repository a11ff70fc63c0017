/**
 * One API call from authentication to its final record. `runGatewayCall` authenticates, opens the call record
 * (`processing`), runs the handler, and on any error answers in the OpenAI error shape and closes the record as
 * failed. Handlers close it on success, streams when they end; `finishCall` makes sure that happens once, and
 * commits the call's settlement (server/billing/call-billing.server.ts) in the transaction of its final record.
 */
import type { InStatement } from "@libsql/client";
import type { CallApi, ModelType } from "../../drizzle/schema";
import { settlementFor, type CallBilling, type CallCost } from "../billing/call-billing.server";
import { formatMicro } from "../billing/money";
import { redactText } from "../crypto/redact";
import { newId } from "../crypto/tokens";
import { errorResponse, HubError, toErrorBody } from "../errors";
import { admitCall, admittedAtOnce, type AdmissionTicket } from "../governance/admission.server";
import { log } from "../log.server";
import type { QuotaSubject } from "../governance/quota-limits";
import { UpstreamFailure } from "../providers/http.server";
import { bodyLoggingOn, capturedBodies } from "../usage/body-log.server";
import { instanceId } from "../instances/instance.server";
import { callRecorder, type CallPatch } from "../usage/call-recorder.server";
import { authenticate, bearer, cachedPrincipal, type Principal } from "./authenticate.server";
import { callApiFor } from "./call-api";
import { clientRequestIdOf, hubRequestIdOf } from "./request-ids";

export interface CallContext {
  request: Request;
  /** The hub's own id for this request (the record's request_id and the `x-request-id` answered). */
  requestId: string;
  /** The hub process serving the call (written on its record and its credit hold). */
  instanceId: string;
  /** The call's `processing` row as a statement for the reservation's transaction (see CallRecorder.startStatement). */
  startStatement: () => InStatement | null;
  /** performance.now() at arrival. */
  started: number;
  /** Date.now() at arrival: calls are priced with the rates in force then. */
  startedAt: number;
  /** AIGNE Hub's envelope (its own 402 type), rather than the OpenAI API. */
  aigne: boolean;
  /** The call's price state from billing's `priceCall`, stored by the handler before its credit is reserved. */
  billing: CallBilling | null;
  principal: Principal;
  callId: string;
  endpoint: string;
  /** The inbound API (wire format) the call came in on, as recorded. */
  api: CallApi;
  type: ModelType;
  appName: string | null;
  /** Quota counters and concurrency slots, handed back when the call ends. */
  admission: AdmissionTicket;
  /** Milliseconds spent waiting on providers so far (x-hub-overhead-ms excludes them). */
  upstreamMs: number;
  finished: boolean;
  /** Fields learnt along the way (requested model, provider, credential), merged into the final record. */
  record: CallPatch;
}

const NO_COST: CallCost = { costMicro: null, rateId: null };

/**
 * Closes the call once: prices it, then writes its final record and its settlement (the credit hold settled to the
 * cost, the rest released) in one transaction, and returns when that is committed. Callers send the answer (or a
 * stream's last event, which carries the cost) only after this, so a client never holds a complete answer whose
 * record or charge could still be lost (docs/decisions/008-crash-safe-records.md).
 * `response` gives the answer's body for body logging; it is only called when that is on.
 */
export async function finishCall(ctx: CallContext, patch: CallPatch, response?: () => unknown): Promise<CallCost> {
  if (ctx.finished) return NO_COST;
  ctx.finished = true;
  const durationMs = Math.round(performance.now() - ctx.started);
  // The call's own record, completed in place: it ends here (each copy of a row this size costs microseconds).
  const final = Object.assign(ctx.record, patch);
  const { cost, withRecord } = settlementFor(ctx, final);
  ctx.admission.finish({
    tokens: (final.inputTokens ?? 0) + (final.outputTokens ?? 0),
    costMicro: cost.costMicro ?? 0,
  });
  if (bodyLoggingOn()) Object.assign(final, capturedBodies(ctx.request, response));
  final.durationMs = durationMs;
  final.costMicro = cost.costMicro;
  final.rateId = cost.rateId;
  await callRecorder.finish(ctx.callId, final, withRecord);
  return cost;
}

/**
 * The headers of a whole answer: the endpoint's own (`extra`), the cost where it is known, and the time the hub
 * itself took. Set one by one: a second spread in an object literal runs in V8's runtime, several microseconds.
 */
export function answerHeaders(
  ctx: CallContext,
  cost: CallCost,
  extra?: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (cost.costMicro !== null) headers["x-hub-cost"] = formatMicro(cost.costMicro);
  headers["x-hub-overhead-ms"] = overheadMs(ctx);
  return headers;
}

/** Time spent in the hub itself so far, upstream excluded. */
export function overheadMs(ctx: CallContext): string {
  return (performance.now() - ctx.started - ctx.upstreamMs).toFixed(2);
}

function failedPatch(error: unknown): CallPatch {
  if (error instanceof UpstreamFailure && error.aborted) {
    return {
      status: "aborted",
      httpStatus: 499,
      errorCode: "client_closed_request",
      errorMessage: "The client closed the request before the answer began.",
    };
  }
  if (error instanceof HubError) {
    const errorMessage = redactText(error.message).slice(0, 1000);
    return { status: "failed", httpStatus: error.status, errorCode: error.code ?? error.type, errorMessage };
  }
  // Stored for the member's call drawer: masked like everything else that leaves the hub.
  const errorMessage = error instanceof Error ? redactText(error.message).slice(0, 1000) : "internal error";
  return { status: "failed", httpStatus: 500, errorCode: "internal_error", errorMessage };
}

/**
 * How errors look on the wire of one inbound API: status, body and headers for anything thrown. The default is
 * OpenAI's shape (server/errors.ts); the Messages API passes Anthropic's (./messages/errors.ts).
 */
export type ErrorWire = (
  error: unknown,
  requestId: string,
) => { status: number; body: unknown; headers: Record<string, string> };

const openAIErrors: ErrorWire = (error) => toErrorBody(error);

function wireErrorResponse(
  wire: ErrorWire,
  error: unknown,
  requestId: string,
  extraHeaders: Record<string, string>,
): Response {
  if (wire === openAIErrors) return errorResponse(error, extraHeaders);
  const { status, body, headers } = wire(error, requestId);
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers, ...extraHeaders },
  });
}

/** The error body the client got, for body logging; none for a client that left before any answer. */
function loggedErrorBody(wire: ErrorWire, error: unknown, requestId: string): unknown {
  return error instanceof UpstreamFailure && error.aborted ? undefined : wire(error, requestId).body;
}

/** Resolves who makes a call; see GatewayCallOptions.principal. */
export type Caller = (request: Request) => Promise<Principal>;

export interface GatewayCallOptions {
  endpoint: string;
  type: ModelType;
  aigne?: boolean;
  /** The inbound API for the record; derived from the endpoint and type when left out (./call-api.ts). */
  api?: CallApi;
  /** Who calls: an access key by default; the playground passes the browser session (./session-principal.server.ts). */
  principal?: Caller;
  /** Methods the endpoint takes, POST by default. A route's action also receives PUT, PATCH and DELETE. */
  methods?: readonly string[];
  /** The wire shape of this API's errors; OpenAI's by default. */
  errors?: ErrorWire;
}

export interface Admitted {
  principal: Principal;
  appName: string | null;
  /** Hand back when the request ends. */
  admission: AdmissionTicket;
}

/**
 * Who calls and whether they may: the key (or the given caller), then IP rules (403) and quotas (429). The first
 * step of every call, and all of it for requests that are not model calls (the Messages API's count_tokens).
 */
export async function admitRequest(request: Request, caller: Caller = authenticate): Promise<Admitted> {
  const principal = await caller(request);
  const appName = appNameOf(principal, request);
  // Refused here (IP rule 403, quota 429) means no provider was asked: nothing to record or bill.
  const admission = await admitCall(request, quotaSubject(principal, appName));
  return { principal, appName, admission };
}

/** The app a call counts for: the key's own app, else the one AIGNE's client names. */
function appNameOf(principal: Principal, request: Request): string | null {
  return principal.appName ?? request.headers.get("x-aigne-hub-client-did") ?? null;
}

function quotaSubject(principal: Principal, appName: string | null): QuotaSubject {
  return { userId: principal.userId, keyId: principal.keyId, appName, keyLimits: principal.limits };
}

/**
 * Admission without waiting, for the common call: an access key whose lookup is cached, no IP rules and no quota
 * that applies (each loaded and fresh). Null otherwise: admitRequest then goes the whole way, which is also where
 * every refusal is made. The hub's own work on a call's path was a chain of six async functions here
 * (docs/decisions/023-the-answer-path.md).
 */
function admittedFromCache(request: Request): Admitted | null {
  const principal = cachedPrincipal(bearer(request));
  if (!principal) return null;
  const appName = appNameOf(principal, request);
  const admission = admittedAtOnce(quotaSubject(principal, appName));
  return admission && { principal, appName, admission };
}

export async function runGatewayCall(
  request: Request,
  options: GatewayCallOptions,
  handler: (ctx: CallContext) => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const requestId = hubRequestIdOf(request);
  const errors = options.errors ?? openAIErrors;
  const methods = options.methods ?? ["POST"];
  if (!methods.includes(request.method)) {
    // Refused before authentication: no provider asked, nothing to record.
    const path = new URL(request.url).pathname;
    const error = new HubError(
      "method_not_allowed",
      `${request.method} is not allowed on ${path}; use ${methods.join(" or ")}.`,
    );
    return wireErrorResponse(errors, error, requestId, { allow: methods.join(", ") });
  }
  let principal: Principal;
  let appName: string | null;
  let admission: AdmissionTicket;
  try {
    const atOnce = options.principal ? null : admittedFromCache(request);
    ({ principal, appName, admission } = atOnce ?? (await admitRequest(request, options.principal)));
  } catch (error) {
    return wireErrorResponse(errors, error, requestId, {
      "x-hub-overhead-ms": (performance.now() - started).toFixed(2),
    });
  }
  const api = options.api ?? callApiFor(options.endpoint, options.type, options.aigne);
  // The id and start time are in the literal although the recorder would add them: added afterwards, they would
  // change the row's layout on every call (the recorder keeps this object; docs/decisions/023-the-answer-path.md).
  const callId = callRecorder.start({
    id: newId("call"),
    createdAt: new Date(),
    requestId,
    clientRequestId: clientRequestIdOf(request),
    instanceId: instanceId(),
    userId: principal.userId,
    accessKeyId: principal.keyId,
    appName,
    type: options.type,
    endpoint: options.endpoint,
    api,
    ip: request.headers.get("x-hub-client-ip") || null,
  });
  const ctx: CallContext = {
    request,
    requestId,
    instanceId: instanceId(),
    startStatement: () => callRecorder.startStatement(callId),
    started,
    startedAt: Date.now(),
    aigne: options.aigne ?? false,
    billing: null,
    principal,
    callId,
    endpoint: options.endpoint,
    api,
    type: options.type,
    appName,
    admission,
    upstreamMs: 0,
    finished: false,
    record: {},
  };
  try {
    return await handler(ctx);
  } catch (error) {
    if (!(error instanceof HubError) && !(error instanceof UpstreamFailure && error.aborted))
      log.error("gateway handler failed", { requestId, error });
    await finishCall(ctx, failedPatch(error), () => loggedErrorBody(errors, error, requestId));
    return wireErrorResponse(errors, error, requestId, { "x-hub-overhead-ms": overheadMs(ctx) });
  }
}
