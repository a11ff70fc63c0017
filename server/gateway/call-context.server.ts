/**
 * One API call from authentication to its final record. `runGatewayCall` authenticates, opens the call record
 * (`processing`), runs the handler, and on any error answers in the OpenAI error shape and closes the record as
 * failed. Handlers close it on success, streams when they end; `finishCall` makes sure that happens once, and
 * settles the call's credit (server/billing/call-billing.server.ts) before the record is written.
 */
import type { ModelType } from "../../drizzle/schema";
import { settleCall, type CallBilling, type CallCost } from "../billing/call-billing.server";
import { formatMicro } from "../billing/money";
import { redactText } from "../crypto/redact";
import { errorResponse, HubError, toErrorBody } from "../errors";
import { admitCall, type AdmissionTicket } from "../governance/admission.server";
import { log } from "../log.server";
import { UpstreamFailure } from "../providers/http.server";
import { bodyLoggingOn, capturedBodies } from "../usage/body-log.server";
import { callRecorder, type CallPatch } from "../usage/call-recorder.server";
import { authenticate, type Principal } from "./authenticate.server";

export interface CallContext {
  request: Request;
  requestId: string;
  /** performance.now() at arrival. */
  started: number;
  /** Date.now() at arrival: calls are priced with the rates in force then. */
  startedAt: number;
  /** AIGNE Hub's envelope (its own 402 type), rather than the OpenAI API. */
  aigne: boolean;
  /** Set by billing's reservation, before the first upstream call. */
  billing: CallBilling | null;
  principal: Principal;
  callId: string;
  endpoint: string;
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
 * Closes the call once: prices it, settles its credit hold (awaited, so the cost can go back to the client), then
 * queues the final record. A settlement that fails leaves the hold to the stale-call job, which releases it.
 * `response` gives the answer's body for body logging; it is only called when that is on.
 */
export async function finishCall(ctx: CallContext, patch: CallPatch, response?: () => unknown): Promise<CallCost> {
  if (ctx.finished) return NO_COST;
  ctx.finished = true;
  const durationMs = Math.round(performance.now() - ctx.started);
  const final = { ...ctx.record, ...patch };
  let cost = NO_COST;
  try {
    cost = await settleCall(ctx, final);
  } catch (error) {
    log.error("settling a call's credit failed; the stale-call job will release its hold", { callId: ctx.callId, error });
  }
  ctx.admission.finish({ tokens: (final.inputTokens ?? 0) + (final.outputTokens ?? 0), costMicro: cost.costMicro ?? 0 });
  const bodies = bodyLoggingOn() ? capturedBodies(ctx.request, response) : null;
  callRecorder.finish(ctx.callId, { durationMs, ...final, ...bodies, costMicro: cost.costMicro, rateId: cost.rateId });
  return cost;
}

/** The cost as a header, where headers are still open. */
export function costHeaders(cost: CallCost): Record<string, string> {
  return cost.costMicro === null ? {} : { "x-hub-cost": formatMicro(cost.costMicro) };
}

/** Time spent in the hub itself so far, upstream excluded. */
export function overheadMs(ctx: CallContext): string {
  return (performance.now() - ctx.started - ctx.upstreamMs).toFixed(2);
}

export function failedPatch(error: unknown): CallPatch {
  if (error instanceof UpstreamFailure && error.aborted) {
    return { status: "aborted", httpStatus: 499, errorCode: "client_closed_request", errorMessage: "The client closed the request before the answer began." };
  }
  if (error instanceof HubError) {
    const errorMessage = redactText(error.message).slice(0, 1000);
    return { status: "failed", httpStatus: error.status, errorCode: error.code ?? error.type, errorMessage };
  }
  // Stored for the member's call drawer: masked like everything else that leaves the hub.
  const errorMessage = error instanceof Error ? redactText(error.message).slice(0, 1000) : "internal error";
  return { status: "failed", httpStatus: 500, errorCode: "internal_error", errorMessage };
}

/** The error body the client got, for body logging; none for a client that left before any answer. */
function loggedErrorBody(error: unknown): unknown {
  return error instanceof UpstreamFailure && error.aborted ? undefined : toErrorBody(error).body;
}

/** Resolves who makes a call; see GatewayCallOptions.principal. */
export type Caller = (request: Request) => Promise<Principal>;

export interface GatewayCallOptions {
  endpoint: string;
  type: ModelType;
  aigne?: boolean;
  /** Who calls: an access key by default; the playground passes the browser session (./session-principal.server.ts). */
  principal?: Caller;
}

export async function runGatewayCall(
  request: Request,
  options: GatewayCallOptions,
  handler: (ctx: CallContext) => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  let principal: Principal;
  let appName: string | null;
  let admission: AdmissionTicket;
  try {
    principal = await (options.principal ?? authenticate)(request);
    appName = principal.appName ?? request.headers.get("x-aigne-hub-client-did") ?? null;
    // Refused here (IP rule 403, quota 429) means no provider was asked: nothing to record or bill.
    admission = await admitCall(request, { userId: principal.userId, keyId: principal.keyId, appName, keyLimits: principal.limits });
  } catch (error) {
    return errorResponse(error, { "x-hub-overhead-ms": (performance.now() - started).toFixed(2) });
  }
  const callId = callRecorder.start({
    requestId,
    userId: principal.userId,
    accessKeyId: principal.keyId,
    appName,
    type: options.type,
    endpoint: options.endpoint,
    ip: request.headers.get("x-hub-client-ip") || null,
  });
  const ctx: CallContext = {
    request,
    requestId,
    started,
    startedAt: Date.now(),
    aigne: options.aigne ?? false,
    billing: null,
    principal,
    callId,
    endpoint: options.endpoint,
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
    if (!(error instanceof HubError) && !(error instanceof UpstreamFailure && error.aborted)) log.error("gateway handler failed", { requestId, error });
    await finishCall(ctx, failedPatch(error), () => loggedErrorBody(error));
    return errorResponse(error, { "x-hub-overhead-ms": overheadMs(ctx) });
  }
}
