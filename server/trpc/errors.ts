/**
 * How errors cross the tRPC boundary (docs/architecture.md: the server throws HubError, tRPC speaks TRPCError).
 * Input validation issues and a HubError's `param` become `fieldErrors` keyed by the form field's name, so a
 * form can put each message under its field; everything else becomes one readable sentence.
 */
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { redactText } from "../crypto/redact";
import { HubError, type HubErrorKind } from "../errors";

const CODES: Partial<Record<HubErrorKind, TRPC_ERROR_CODE_KEY>> = {
  invalid_input: "BAD_REQUEST",
  invalid_json: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  model_not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  rate_limited: "TOO_MANY_REQUESTS",
  method_not_allowed: "METHOD_NOT_SUPPORTED",
  timeout: "TIMEOUT",
};

export function toTRPCError(error: HubError): TRPCError {
  return new TRPCError({
    code: CODES[error.kind] ?? "INTERNAL_SERVER_ERROR",
    message: redactText(error.message),
    cause: error,
  });
}

/** "base_url" → "baseUrl", "rate.input_per_million" → "rate.inputPerMillion". */
export function toFieldName(param: string): string {
  return param.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

function issuesOf(cause: unknown): Issue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

const pathText = (issue: Issue) =>
  (issue.path ?? []).map((p) => String(typeof p === "object" && p !== null ? p.key : p)).join(".");

/** Field errors of an input validation failure or a HubError with a param; null when there are none. */
export function fieldErrorsOf(cause: unknown): Record<string, string> | null {
  const issues = issuesOf(cause);
  if (issues) {
    const out: Record<string, string> = {};
    for (const issue of issues) {
      const key = pathText(issue) || "form";
      out[key] ??= issue.message;
    }
    return out;
  }
  if (cause instanceof HubError && cause.param) return { [toFieldName(cause.param)]: redactText(cause.message) };
  return null;
}

/** The one sentence a page shows for this error. */
export function readableMessage(code: TRPC_ERROR_CODE_KEY, message: string, cause: unknown): string {
  const issues = issuesOf(cause);
  const first = issues?.[0];
  if (issues && first) {
    const where = pathText(first);
    return issues.length === 1
      ? `${where ? `${where}: ` : ""}${first.message}`
      : `Check ${issues.length} fields: ${where ? `${where}: ` : ""}${first.message}`;
  }
  if (code === "INTERNAL_SERVER_ERROR" && !(cause instanceof HubError))
    return "The hub could not do that. The error was logged; try again.";
  return redactText(message);
}
