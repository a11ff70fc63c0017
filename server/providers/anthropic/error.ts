/**
 * Anthropic errors → the gateway's UpstreamError (https://docs.anthropic.com/en/api/errors).
 *
 * Anthropic answers `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":...}`,
 * both as an HTTP body and as an in-stream `event: error` (which has no HTTP status of its own).
 * The body's error type wins over the HTTP status because it is more specific; the status is the fallback
 * for bodies that are not Anthropic's (a proxy's HTML page, an empty 502).
 */
import type { UpstreamError } from "../types";

interface Mapping {
  status: number;
  type: string;
  retryable: boolean;
}

const BY_TYPE: Record<string, Mapping> = {
  invalid_request_error: { status: 400, type: "invalid_request_error", retryable: false },
  authentication_error: { status: 401, type: "authentication_error", retryable: false },
  // 402 in Anthropic's terms; OpenAI reports an empty balance as 429 insufficient_quota. Another
  // credential may still have credit, so the gateway may move on.
  billing_error: { status: 429, type: "insufficient_quota", retryable: true },
  permission_error: { status: 403, type: "permission_error", retryable: false },
  not_found_error: { status: 404, type: "not_found_error", retryable: false },
  request_too_large: { status: 413, type: "invalid_request_error", retryable: false },
  rate_limit_error: { status: 429, type: "rate_limit_error", retryable: true },
  api_error: { status: 500, type: "api_error", retryable: true },
  timeout_error: { status: 504, type: "api_error", retryable: true },
  // HTTP 529 is Anthropic's own code; OpenAI clients know 503.
  overloaded_error: { status: 503, type: "api_error", retryable: true },
};

/** Anthropic's documented HTTP status for each error type, read backwards; the Messages API's own errors use it too. */
export const ANTHROPIC_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

interface AnthropicErrorBody {
  type?: string;
  error?: { type?: string; message?: string; details?: { error_code?: unknown } | null };
}

function mappingFor(anthropicType: string | undefined, status: number | null): Mapping {
  const known = anthropicType && BY_TYPE[anthropicType];
  if (known) return known;
  if (status === null) return { status: 502, type: "api_error", retryable: true }; // unknown in-stream error
  const byStatus = ANTHROPIC_TYPE_BY_STATUS[status];
  const mapped = byStatus ? BY_TYPE[byStatus] : undefined;
  if (mapped) return mapped;
  if (status === 502 || status === 503) return { status, type: "api_error", retryable: true };
  if (status >= 500) return { status: 502, type: "api_error", retryable: true };
  if (status === 408) return { status: 504, type: "api_error", retryable: true };
  return { status, type: "invalid_request_error", retryable: false };
}

/** Defence in depth: a message must never carry an API key, even if some proxy echoes one back. */
export function redactSecrets(text: string): string {
  return text.replace(/sk-ant-[A-Za-z0-9_-]+/g, "sk-ant-***").replace(/(x-api-key[\s:="']+)[^\s"',}]+/gi, "$1***");
}

function parseBody(text: string): AnthropicErrorBody | null {
  try {
    const json: unknown = JSON.parse(text);
    return json && typeof json === "object" ? json : null;
  } catch {
    return null;
  }
}

/** `retry-after-ms` (fractional ms) or `retry-after` in seconds, as Anthropic sends on 429 and 529. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms") ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const seconds = Number(headers?.get("retry-after") ?? NaN);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  return undefined;
}

/** A short, tag-free excerpt of a non-JSON body (an HTML error page from a proxy, say). */
function excerpt(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

function toUpstreamError(status: number | null, raw: string, headers?: Headers): UpstreamError {
  const body = parseBody(raw);
  const anthropicType = body?.error?.type;
  const mapping = mappingFor(anthropicType, status);
  const details = body?.error?.details?.error_code;
  const fallback = status === null ? "Anthropic stream error" : `Anthropic returned HTTP ${status}`;
  let message = body?.error?.message || fallback;
  if (!body && raw.trim()) message = `${fallback}: ${excerpt(raw)}`;
  const error: UpstreamError = {
    status: mapping.status,
    type: mapping.type,
    code: typeof details === "string" ? details : (anthropicType ?? null),
    message: redactSecrets(message),
    retryable: mapping.retryable,
  };
  const after = retryAfterMs(headers);
  if (after !== undefined) error.retryAfterMs = after;
  // Anthropic's own envelope, kept for Messages API clients, which get it unmodified (Claude Code matches wording).
  if (body?.type === "error" && anthropicType) error.native = { status, body: redactSecrets(raw) };
  return error;
}

/** ProviderAdapter.parseError: a non-2xx answer. */
export function parseError(status: number, body: string, headers: Headers): UpstreamError {
  return toUpstreamError(status, body, headers);
}

/** The `data:` of an in-stream `event: error`; its status comes from the error type alone. */
export function streamEventError(data: string): UpstreamError {
  return toUpstreamError(null, data);
}
