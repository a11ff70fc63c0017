/**
 * Google API errors → the gateway's UpstreamError.
 * Error body: {"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED","details":[...]}}
 * Status codes: https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 * google.rpc.RetryInfo: https://cloud.google.com/apis/design/errors#error_details
 */
import type { UpstreamError } from "../types";

export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

/** Google's canonical status → HTTP status, OpenAI error type, retryable. */
const BY_STATUS: Record<string, [number, string, boolean]> = {
  INVALID_ARGUMENT: [400, "invalid_request_error", false],
  FAILED_PRECONDITION: [400, "invalid_request_error", false],
  OUT_OF_RANGE: [400, "invalid_request_error", false],
  UNAUTHENTICATED: [401, "authentication_error", false],
  PERMISSION_DENIED: [403, "permission_error", false],
  NOT_FOUND: [404, "invalid_request_error", false],
  RESOURCE_EXHAUSTED: [429, "rate_limit_error", true],
  CANCELLED: [502, "api_error", true],
  INTERNAL: [500, "api_error", true],
  UNKNOWN: [500, "api_error", true],
  UNAVAILABLE: [503, "api_error", true],
  DEADLINE_EXCEEDED: [504, "api_error", true],
};

function byHttpStatus(status: number): [number, string, boolean] {
  if (status === 400) return [400, "invalid_request_error", false];
  if (status === 401) return [401, "authentication_error", false];
  if (status === 403) return [403, "permission_error", false];
  if (status === 404) return [404, "invalid_request_error", false];
  if (status === 408 || status === 504) return [504, "api_error", true];
  if (status === 413) return [413, "invalid_request_error", false];
  if (status === 429) return [429, "rate_limit_error", true];
  if (status >= 500) return [status, "api_error", true];
  return [status >= 400 ? status : 502, "api_error", false];
}

/** Remove anything that looks like a Google API key or a `key=` query value before it reaches a client or a log. */
export function redact(text: string): string {
  return text.replace(/AIza[0-9A-Za-z_-]{20,}/g, "[redacted]").replace(/([?&]key=)[^&\s"']+/gi, "$1[redacted]");
}

/** "13s" / "1.5s" (protobuf Duration JSON) → milliseconds. */
function durationMs(value: unknown): number | undefined {
  const match = typeof value === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

function retryAfterFromHeaders(headers: Headers): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (ms > 0) return ms;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Translate a parsed Google `error` object (from an HTTP body or from inside a stream). */
export function fromGoogleError(error: GoogleErrorBody, httpStatus: number, headers?: Headers): UpstreamError {
  const message = redact(error.message ?? `Gemini returned HTTP ${httpStatus}`);
  let [status, type, retryable] = (error.status && BY_STATUS[error.status]) || byHttpStatus(error.code ?? httpStatus);
  let code: string | null = error.status ?? null;
  // A wrong key is 400 INVALID_ARGUMENT (reason API_KEY_INVALID) at Google; clients expect OpenAI's 401.
  const keyInvalid = error.details?.some((d) => d.reason === "API_KEY_INVALID") || /API key not valid/i.test(message);
  if (keyInvalid) [status, type, retryable, code] = [401, "authentication_error", false, "invalid_api_key"];
  const result: UpstreamError = { status, type, code, message, retryable };
  const retryInfo = error.details?.find((d) => String(d["@type"]).endsWith("google.rpc.RetryInfo"));
  const retryAfterMs = durationMs(retryInfo?.retryDelay) ?? (headers ? retryAfterFromHeaders(headers) : undefined);
  if (retryable && retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}

/** ProviderAdapter.parseError: `body` may be empty, HTML from a proxy, a Google error object or an array of them. */
export function parseError(status: number, body: string, headers: Headers): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  // streamGenerateContent without alt=sse answers errors as a one-element array.
  if (Array.isArray(parsed)) parsed = parsed[0];
  const error = (parsed as { error?: GoogleErrorBody } | undefined)?.error;
  if (error && typeof error === "object") return fromGoogleError(error, status, headers);
  const [mapped, type, retryable] = byHttpStatus(status);
  const text = body.trim().slice(0, 500);
  const result: UpstreamError = {
    status: mapped,
    type,
    code: null,
    message: redact(text ? `Gemini returned HTTP ${status}: ${text}` : `Gemini returned HTTP ${status}`),
    retryable,
  };
  const retryAfterMs = retryable ? retryAfterFromHeaders(headers) : undefined;
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}
