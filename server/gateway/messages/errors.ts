/**
 * Errors in Anthropic's envelope for the Messages API (docs/messages-api.md):
 * `{"type":"error","error":{"type","message"},"request_id"}` with Anthropic's error types and statuses, for every
 * error on its paths, in this one place. An error a provider that speaks Messages sent is passed on as it came
 * (status and body): Claude Code's recovery matches on the wording. Other errors keep the hub's (or the
 * translated provider's) message, under the Anthropic type for their status.
 */
import { HubError, toErrorBody } from "../../errors";
import { ANTHROPIC_TYPE_BY_STATUS } from "../../providers/anthropic/error";
import type { UpstreamError } from "../../providers/types";
import { JsonResponse } from "../../http/json-response";

/** Anthropic's table, plus the statuses only the hub answers with. */
const TYPE_BY_STATUS: Record<number, string> = {
  ...ANTHROPIC_TYPE_BY_STATUS,
  409: "conflict_error",
  502: "api_error",
  // The hub's 503 means every credential is cooling down: Anthropic's word for "busy, retry" is overloaded.
  503: "overloaded_error",
};

function anthropicErrorType(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** The native error an upstream failure carried, if the provider speaks Messages (failover keeps it as the cause). */
function nativeOf(error: unknown): UpstreamError["native"] | undefined {
  const cause = error instanceof HubError ? (error.cause as Partial<UpstreamError> | undefined) : undefined;
  return cause && typeof cause === "object" ? cause.native : undefined;
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** Anything thrown on a Messages path → Anthropic's status, body and headers. */
export function toAnthropicError(
  error: unknown,
  requestId: string,
): { status: number; body: unknown; headers: Record<string, string> } {
  const { status, body, headers } = toErrorBody(error);
  const own = { ...headers, "request-id": requestId };
  const native = nativeOf(error);
  if (native) return { status: native.status ?? status, body: parsed(native.body), headers: own };
  return {
    status,
    headers: own,
    body: {
      type: "error",
      error: { type: anthropicErrorType(status), message: body.error.message },
      request_id: requestId,
    },
  };
}

/** A failure after the stream began: Anthropic's in-band `event: error`, which the SDK raises with its type. */
export function anthropicErrorEvent(error: UpstreamError, requestId: string): string {
  const body =
    error.native?.body ??
    JSON.stringify({
      type: "error",
      error: { type: anthropicErrorType(error.status), message: error.message },
      request_id: requestId,
    });
  return `event: error\ndata: ${body}\n\n`;
}

/** Another method than POST on a Messages path: Anthropic's envelope too, rather than the listener's OpenAI one. */
export function methodNotAllowed(request: Request): Response {
  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const path = new URL(request.url).pathname;
  const error = new HubError("method_not_allowed", `${request.method} is not allowed on ${path}; send POST.`);
  const { status, body, headers } = toAnthropicError(error, requestId);
  return new JsonResponse(body, { status, headers: { ...headers, allow: "POST" } });
}
