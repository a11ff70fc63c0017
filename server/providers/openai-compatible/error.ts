/**
 * Translate an OpenAI-style error answer into the gateway's UpstreamError.
 *
 * OpenAI errors look like `{"error":{"message","type","param","code"}}`
 * (https://platform.openai.com/docs/guides/error-codes). The compatible vendors mostly copy that shape, with
 * variations we tolerate: Ollama sends `{"error":"model not found"}`, OpenRouter puts the HTTP status in
 * `error.code` as a number, some proxies send `{"message"}` or FastAPI's `{"detail"}`.
 *
 * Whatever the body says, the message that leaves here must be safe to show a client: no API keys, no bearer
 * tokens, no credentials in URLs, no HTML error pages.
 */
import type { UpstreamError } from "../types";

const MAX_MESSAGE_CHARS = 300;

interface StatusRule {
  status: number;
  type: string;
  retryable: boolean;
}

/** Upstream status → status we answer with, default error type, and whether another credential may help. */
function ruleFor(status: number): StatusRule {
  switch (status) {
    case 400:
    case 422: // "Unprocessable" is a request problem; OpenAI clients expect 400 for that.
      return { status: 400, type: "invalid_request_error", retryable: false };
    case 401:
      return { status: 401, type: "authentication_error", retryable: false };
    case 403:
      return { status: 403, type: "permission_error", retryable: false };
    case 404:
      return { status: 404, type: "not_found_error", retryable: false };
    case 408: // The upstream timed out reading our request: a gateway timeout from the client's view.
      return { status: 504, type: "api_error", retryable: true };
    case 409: // Conflicts are transient lock errors at OpenAI; its own SDK retries them.
      return { status: 409, type: "invalid_request_error", retryable: true };
    case 413:
      return { status: 413, type: "invalid_request_error", retryable: false };
    case 429:
      return { status: 429, type: "rate_limit_error", retryable: true };
    case 500:
    case 502:
    case 503:
    case 504:
      return { status, type: "api_error", retryable: true };
    case 529: // "Overloaded" (Anthropic-style, also seen behind some OpenAI-compatible proxies).
      return { status: 503, type: "api_error", retryable: true };
  }
  if (status >= 500) return { status: 502, type: "api_error", retryable: true };
  return { status: 400, type: "invalid_request_error", retryable: false };
}

/** Parse a non-2xx answer from an OpenAI-compatible API. */
export function parseOpenAIError(status: number, body: string, headers: Headers): UpstreamError {
  let json: unknown;
  try {
    json = body.trim() === "" ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  const error = json === undefined ? genericError(status, body) : openAIErrorFromObject(status, json);
  const retryAfterMs = parseRetryAfterMs(headers) ?? retryAfterFromMessage(error.message);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/**
 * Build an UpstreamError from an already parsed error object. Also used for errors sent inside a stream,
 * where there is no HTTP status of their own (the caller passes 500 unless the object names one).
 */
export function openAIErrorFromObject(status: number, json: unknown): UpstreamError {
  const obj = isRecord(json) ? json : {};
  const inner = obj.error;
  const err = isRecord(inner) ? inner : {};
  // OpenRouter reports the real status as a numeric `code` (https://openrouter.ai/docs/api-reference/errors).
  const effective = typeof err.code === "number" && err.code >= 400 && err.code < 600 ? err.code : status;
  const rule = ruleFor(effective);
  const rawMessage = firstString(err.message, inner, obj.message, obj.detail) ?? `Upstream returned HTTP ${status}`;
  return {
    status: rule.status,
    type: typeof err.type === "string" && err.type !== "" ? err.type : rule.type,
    code: typeof err.code === "string" && err.code !== "" ? err.code : null,
    message: truncate(redactSecrets(rawMessage), 2000),
    retryable: rule.retryable,
  };
}

/** A body that is not JSON: say what happened without echoing HTML pages or long junk. */
function genericError(status: number, body: string): UpstreamError {
  const rule = ruleFor(status);
  const text = body.trim();
  const looksLikeHtml = /^<|<html|<!doctype|<body|<head/i.test(text);
  const message =
    text === "" || looksLikeHtml
      ? `Upstream returned HTTP ${status}`
      : `Upstream returned HTTP ${status}: ${truncate(redactSecrets(text.replace(/\s+/g, " ")), MAX_MESSAGE_CHARS)}`;
  return { status: rule.status, type: rule.type, code: null, message, retryable: rule.retryable };
}

/**
 * Anything that looks like a credential becomes "[redacted]". OpenAI itself echoes a masked key in 401s
 * ("Incorrect API key provided: sk-proj-****abcd"), other vendors sometimes echo it whole.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=*-]*[A-Za-z0-9_~+/=*-]/gi, "[redacted]")
    .replace(/\b(?:sk|xai|pk|rk)-[A-Za-z0-9_*-]{4,}/g, "[redacted]")
    .replace(/\bAIza[A-Za-z0-9_-]{20,}/g, "[redacted]")
    .replace(/([?&](?:key|api_key|apikey|token|access_token|signature)=)[^&\s"']+/gi, "$1[redacted]");
}

/**
 * Retry hints, most precise first: `retry-after-ms` (OpenAI), `retry-after` as seconds or an HTTP date
 * (RFC 9110 §10.2.3), then OpenAI's `x-ratelimit-reset-requests` / `-tokens` durations like "1s" or "6m0s"
 * (https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers).
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) {
    return Math.round(Number(ms));
  }
  const after = headers.get("retry-after");
  if (after !== null && after.trim() !== "") {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  for (const name of ["x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"]) {
    const value = headers.get(name);
    const parsed = value === null ? undefined : parseDurationMs(value);
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

const DURATION_UNITS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
};

/** Go-style durations as OpenAI sends them: "20ms", "1s", "6m0s", "1h2m3.5s". */
export function parseDurationMs(value: string): number | undefined {
  const text = value.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    const [, amount, unit = ""] = match;
    total += Number(amount) * (DURATION_UNITS[unit] ?? 0);
  }
  return Math.round(total);
}

/** OpenAI 429 messages end with "Please try again in 20s." / "in 350ms." when no header says so. */
function retryAfterFromMessage(message: string): number | undefined {
  const match = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message);
  if (!match) return undefined;
  const [, amount, unit = "s"] = match;
  return Math.round(Number(amount) * (unit.toLowerCase() === "ms" ? 1 : 1000));
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === "string" && v.trim() !== "") return v;
  return undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
