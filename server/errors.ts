/**
 * The one error type of the server, and the one place that turns it into the OpenAI error shape
 * `{"error":{"message","type","code","param"}}` with the right HTTP status. The gateway, the CLI and the UI
 * routes all throw HubError; tRPC maps it to TRPCError in its own boundary.
 */
import { redactText } from "./crypto/redact";
import { JsonResponse } from "./http/json-response";

const KINDS = {
  invalid_input: { status: 400, type: "invalid_request_error", code: "invalid_value" },
  invalid_json: { status: 400, type: "invalid_request_error", code: "invalid_json" },
  unauthorized: { status: 401, type: "authentication_error", code: "invalid_api_key" },
  insufficient_credits: { status: 402, type: "insufficient_quota", code: "insufficient_quota" },
  forbidden: { status: 403, type: "permission_error", code: "forbidden" },
  not_found: { status: 404, type: "invalid_request_error", code: "not_found" },
  model_not_found: { status: 404, type: "invalid_request_error", code: "model_not_found" },
  method_not_allowed: { status: 405, type: "invalid_request_error", code: "method_not_allowed" },
  request_timeout: { status: 408, type: "invalid_request_error", code: "request_timeout" },
  conflict: { status: 409, type: "invalid_request_error", code: "conflict" },
  payload_too_large: { status: 413, type: "invalid_request_error", code: "request_too_large" },
  rate_limited: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  upstream: { status: 502, type: "api_error", code: "upstream_error" },
  unavailable: { status: 503, type: "api_error", code: "service_unavailable" },
  timeout: { status: 504, type: "api_error", code: "upstream_timeout" },
  internal: { status: 500, type: "api_error", code: "internal_error" },
} as const;

export type HubErrorKind = keyof typeof KINDS;

export interface HubErrorOptions {
  status?: number;
  type?: string;
  code?: string | null;
  /** Seconds, sent as Retry-After. */
  retryAfterSeconds?: number;
  /** Extra fields merged into the error object (AIGNE's `link`, for example). */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

export class HubError extends Error {
  override name = "HubError";
  readonly status: number;
  readonly type: string;
  readonly code: string | null;
  readonly retryAfterSeconds?: number;
  readonly extra?: Record<string, unknown>;

  constructor(
    readonly kind: HubErrorKind,
    message: string,
    readonly param: string | null = null,
    options: HubErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    const defaults = KINDS[kind];
    this.status = options.status ?? defaults.status;
    this.type = options.type ?? defaults.type;
    this.code = options.code === undefined ? defaults.code : options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.extra = options.extra;
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null; [key: string]: unknown };
}

/** Anything thrown → the OpenAI error body and status. Unknown errors become a 500 without internals. */
export function toErrorBody(error: unknown): {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof HubError) {
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined)
      headers["retry-after"] = String(Math.max(0, Math.ceil(error.retryAfterSeconds)));
    return {
      status: error.status,
      headers,
      body: {
        error: {
          message: redactText(error.message),
          type: error.type,
          code: error.code,
          param: error.param,
          ...error.extra,
        },
      },
    };
  }
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        message: "The hub failed to handle this request.",
        type: "api_error",
        code: "internal_error",
        param: null,
      },
    },
  };
}

/** The error as a JSON Response (API routes). */
export function errorResponse(error: unknown, extraHeaders: Record<string, string> = {}): Response {
  const { status, body, headers } = toErrorBody(error);
  return new JsonResponse(body, { status, headers: { ...headers, ...extraHeaders } });
}
