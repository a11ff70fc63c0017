/**
 * Bedrock errors → gateway errors.
 *
 * Bedrock answers errors as JSON `{"message": "..."}` and names the error in the `x-amzn-errortype` header
 * ("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/") or, in some paths, in a
 * `__type` body field ("com.amazon.coral.service#UnrecognizedClientException"). Inside a ConverseStream the
 * same errors arrive as exception frames whose `:exception-type` is lowerCamelCase ("throttlingException").
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html
 */
import type { UpstreamError } from "../types";

interface Mapping {
  status: number;
  type: string;
  retryable: boolean;
}

/** Keyed by the lower-cased exception name, so header, body and stream spellings all match. */
const BY_TYPE: Record<string, Mapping> = {
  validationexception: { status: 400, type: "invalid_request_error", retryable: false },
  accessdeniedexception: { status: 403, type: "permission_error", retryable: false },
  unrecognizedclientexception: { status: 401, type: "authentication_error", retryable: false },
  invalidsignatureexception: { status: 401, type: "authentication_error", retryable: false },
  expiredtokenexception: { status: 401, type: "authentication_error", retryable: false },
  incompletesignatureexception: { status: 401, type: "authentication_error", retryable: false },
  missingauthenticationtokenexception: { status: 401, type: "authentication_error", retryable: false },
  resourcenotfoundexception: { status: 404, type: "not_found_error", retryable: false },
  throttlingexception: { status: 429, type: "rate_limit_error", retryable: true },
  servicequotaexceededexception: { status: 429, type: "rate_limit_error", retryable: true },
  modeltimeoutexception: { status: 504, type: "timeout_error", retryable: true },
  internalserverexception: { status: 500, type: "api_error", retryable: true },
  serviceunavailableexception: { status: 503, type: "api_error", retryable: true },
  modelnotreadyexception: { status: 503, type: "api_error", retryable: true },
  // The model itself failed (424 from Bedrock, or mid-stream): another attempt may well succeed.
  modelerrorexception: { status: 502, type: "api_error", retryable: true },
  modelstreamerrorexception: { status: 502, type: "api_error", retryable: true },
};

function byStatus(status: number): Mapping {
  if (status === 401) return { status, type: "authentication_error", retryable: false };
  if (status === 403) return { status, type: "permission_error", retryable: false };
  if (status === 404) return { status, type: "not_found_error", retryable: false };
  if (status === 413) return { status, type: "invalid_request_error", retryable: false };
  if (status === 429) return { status, type: "rate_limit_error", retryable: true };
  if (status >= 500) {
    return { status: [500, 502, 503, 504].includes(status) ? status : 502, type: "api_error", retryable: true };
  }
  return { status: 400, type: "invalid_request_error", retryable: false };
}

/**
 * Keep the provider's words but never anything that could be a credential: AWS's
 * InvalidSignatureException text may append the whole canonical request (which includes a signed
 * x-amz-security-token), and access key ids are cut out wherever they appear.
 */
export function sanitizeMessage(message: string): string {
  let text = message;
  const canonical = text.search(/\n\s*The Canonical String/i);
  if (canonical !== -1) text = text.slice(0, canonical);
  text = text.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, "[redacted]");
  text = text.replace(/(x-amz-security-token[:=]\s*)\S+/gi, "$1[redacted]");
  text = text.replace(/(Signature=)[0-9a-f]+/gi, "$1[redacted]");
  return text.trim().slice(0, 1000);
}

/** "ThrottlingException:http://..." or "com.amazon.coral.service#ExpiredTokenException" → the bare name. */
export function normalizeErrorType(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const name = (raw.split(":")[0] ?? "").split("#").pop()?.trim();
  return name ? name : null;
}

/** Map a named Bedrock exception (HTTP or in-stream); `status` is the fallback when the name is unknown. */
export function bedrockError(typeName: string | null, message: string, status = 500): UpstreamError {
  const mapping = (typeName && BY_TYPE[typeName.toLowerCase()]) || byStatus(status);
  const code = typeName ? typeName.charAt(0).toUpperCase() + typeName.slice(1) : null;
  return {
    status: mapping.status,
    type: mapping.type,
    code,
    message: sanitizeMessage(message) || `Bedrock returned ${code ?? `HTTP ${status}`}`,
    retryable: mapping.retryable,
  };
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function parseError(status: number, body: string, headers: Headers): UpstreamError {
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === "object") json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status alone.
  }
  const typeName = normalizeErrorType(headers.get("x-amzn-errortype")) ?? normalizeErrorType(json.__type as string);
  const message =
    typeof json.message === "string" ? json.message : typeof json.Message === "string" ? json.Message : "";
  const error = bedrockError(typeName, message, status);
  const after = retryAfterMs(headers);
  if (after !== undefined) error.retryAfterMs = after;
  return error;
}
