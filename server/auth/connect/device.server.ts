/**
 * RFC 8628 (OAuth 2.0 Device Authorization Grant) for tools other than AIGNE's:
 *   POST /api/device/code   (client_id, optional app_name)  → device_code, user_code, verification_uri(_complete),
 *                                                              expires_in, interval (§3.2)
 *   POST /api/device/token  (grant_type=urn:ietf:params:oauth:grant-type:device_code, device_code)
 *        → 400 { error: authorization_pending | slow_down | access_denied | expired_token | invalid_grant, ... }
 *          or { access_token: <hub access key>, token_type: "Bearer" } once (§3.4, §3.5)
 * Bodies may be form-encoded (as the RFC says) or JSON (as many tools send). The person approves at /device.
 */
import { getEnv } from "../../env.server";
import { HubError, toErrorBody } from "../../errors";
import { noteAuthFailure } from "../../governance/auth-throttle.server";
import { assertSameOrigin } from "../csrf";
import { exchangeDeviceCode } from "./collect.server";
import { addressOf, connectLimits, enforce } from "./limits.server";
import { POLL_INTERVAL_SECONDS, SESSION_TTL_MS, startDeviceSession } from "./sessions.server";

const DEVICE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
// RFC 6749 §5.1: token responses must not be cached.
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

async function readParams(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (type.includes("json")) {
    try {
      const body = JSON.parse(text) as unknown;
      if (!body || typeof body !== "object" || Array.isArray(body)) return {};
      return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === "string"));
    } catch {
      throw oauthError("invalid_request", "The body is not valid JSON.");
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
    readonly retryAfterSeconds?: number,
  ) {
    super(description);
  }
}
const oauthError = (error: string, description: string) => new OAuthError(error, description);

/** RFC 6749 §5.2 error bodies; the hub's own errors (429 from the rate limit) are mapped onto them. */
function oauthErrorResponse(error: unknown): Response {
  let e: OAuthError;
  if (error instanceof OAuthError) e = error;
  else if (error instanceof HubError && error.kind === "rate_limited")
    e = new OAuthError("slow_down", error.message, 429, error.retryAfterSeconds);
  else {
    const { status, body } = toErrorBody(error);
    e = new OAuthError(status >= 500 ? "server_error" : "invalid_request", body.error.message, status);
  }
  const headers: Record<string, string> = { ...NO_STORE };
  if (e.retryAfterSeconds !== undefined) headers["retry-after"] = String(e.retryAfterSeconds);
  return Response.json({ error: e.error, error_description: e.description }, { status: e.status, headers });
}

export async function handleDeviceCode(request: Request): Promise<Response> {
  assertSameOrigin(request, getEnv().PUBLIC_URL);
  try {
    if (request.method !== "POST") throw new OAuthError("invalid_request", "Use POST.", 405);
    await enforce(connectLimits.start, addressOf(request), "device codes requested from this address");
    const params = await readParams(request);
    const appName = params.app_name || params.client_name || params.client_id || null;
    const { row, deviceCode } = await startDeviceSession(appName);
    const verificationUri = `${getEnv().PUBLIC_URL}/device`;
    return Response.json(
      {
        device_code: deviceCode,
        user_code: row.userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(row.userCode)}`,
        expires_in: SESSION_TTL_MS / 1000,
        interval: POLL_INTERVAL_SECONDS,
      },
      { headers: NO_STORE },
    );
  } catch (error) {
    return oauthErrorResponse(error);
  }
}

export async function handleDeviceToken(request: Request): Promise<Response> {
  assertSameOrigin(request, getEnv().PUBLIC_URL);
  try {
    if (request.method !== "POST") throw new OAuthError("invalid_request", "Use POST.", 405);
    await enforce(connectLimits.poll, addressOf(request), "token requests from this address");
    const params = await readParams(request);
    if (params.grant_type !== DEVICE_GRANT_TYPE) {
      throw new OAuthError("unsupported_grant_type", `Only grant_type=${DEVICE_GRANT_TYPE} is supported here.`);
    }
    if (!params.device_code) throw oauthError("invalid_request", "device_code is required.");
    const result = await exchangeDeviceCode(params.device_code);
    // A device code that is not one (unknown, or used) is a failed authentication: guessing them is throttled.
    if (!result.ok && result.error === "invalid_grant") await noteAuthFailure(request);
    if (!result.ok) throw oauthError(result.error, result.description);
    return Response.json({ access_token: result.accessToken, token_type: "Bearer" }, { headers: NO_STORE });
  } catch (error) {
    return oauthErrorResponse(error);
  }
}
