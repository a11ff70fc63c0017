/**
 * The authorization-code exchange. arctic 3's `OAuth2Client.validateAuthorizationCode` sends the same request,
 * but through the global fetch with no way to pass another, so recorded provider responses could not be replayed
 * in tests. This builds arctic's request (form body, Basic client credentials, PKCE verifier), sends it through the
 * injected fetch and returns arctic's `OAuth2Tokens`.
 */
import { OAuth2Tokens } from "arctic";
import { send } from "./http.server";
import { SignInError } from "./sign-in-errors";
import type { FetchLike } from "./types";

export interface TokenRequest {
  tokenEndpoint: string;
  clientId: string;
  /** Empty for a public client, which then sends client_id in the body (RFC 6749 §4.1.3). */
  clientSecret: string;
  redirectUri: string;
  code: string;
  codeVerifier: string;
}

export async function exchangeAuthorizationCode(fetchImpl: FetchLike, req: TokenRequest): Promise<OAuth2Tokens> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: req.code,
    redirect_uri: req.redirectUri,
    code_verifier: req.codeVerifier,
  });
  const headers = new Headers({
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
    "User-Agent": "ai-hub",
  });
  if (req.clientSecret) {
    // RFC 6749 §2.3.1: form-encode each part before base64.
    const credentials = `${encodeURIComponent(req.clientId)}:${encodeURIComponent(req.clientSecret)}`;
    headers.set("Authorization", `Basic ${Buffer.from(credentials).toString("base64")}`);
  } else {
    body.set("client_id", req.clientId);
  }
  const response = await send(
    fetchImpl,
    new Request(req.tokenEndpoint, { method: "POST", headers, body }),
    "token exchange",
  );

  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new SignInError("provider_unavailable", `token exchange: HTTP ${response.status}, not JSON`);
  }
  const record = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  // GitHub answers a bad or used code with 200 and {"error":"bad_verification_code"}; others with 400.
  if (typeof record.error === "string")
    throw new SignInError("code_rejected", `token endpoint: ${record.error.slice(0, 60)}`);
  if (response.status !== 200) throw new SignInError("provider_unavailable", `token exchange: HTTP ${response.status}`);
  if (typeof record.access_token !== "string")
    throw new SignInError("provider_unavailable", "token exchange: no access_token");
  return new OAuth2Tokens(record);
}
