/**
 * ID token verification (OpenID Connect Core §3.1.3.7) on `jose`: the signature with any asymmetric algorithm an
 * issuer may use (RS*, PS*, ES*, EdDSA; never "none" or HMAC), then issuer, audience (and azp when there are
 * several), expiry with a minute of clock tolerance, and the nonce that ties the token to this browser's sign-in.
 * Pure apart from the key source passed in (./jwks.server.ts in production, a local key set in tests).
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

export interface IdTokenClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  nonce?: string;
  azp?: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  picture?: string;
}

export interface IdTokenExpectations {
  /** Accepted `iss` values (Google issues both "https://accounts.google.com" and "accounts.google.com"). */
  issuers: string[];
  clientId: string;
  nonce: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

export type IdTokenFailure =
  | "malformed"
  | "unsupported_alg"
  | "unknown_key"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "not_yet_valid"
  | "bad_nonce";

export class IdTokenError extends Error {
  override name = "IdTokenError";
  constructor(readonly reason: IdTokenFailure) {
    super(`ID token refused: ${reason}`);
  }
}

/** Every asymmetric JWS algorithm of RFC 7518 and RFC 8037 (OIDC issuers sign with one of these). */
const ID_TOKEN_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

const CLOCK_TOLERANCE_S = 60;

/** A jose failure in the sign-in's own terms (the reason lands in the audit log, never the token). */
function failureOf(error: unknown): IdTokenFailure {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "wrong_issuer";
    if (error.claim === "aud") return "wrong_audience";
    if (error.claim === "nbf" || error.claim === "iat") return "not_yet_valid";
    return "malformed";
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return "unsupported_alg";
  if (error instanceof errors.JWKSNoMatchingKey) return "unknown_key";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad_signature";
  return "malformed";
}

export async function verifyIdToken(
  token: string,
  expected: IdTokenExpectations,
  keys: JWTVerifyGetKey,
): Promise<IdTokenClaims> {
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ID_TOKEN_ALGORITHMS,
      issuer: expected.issuers,
      audience: expected.clientId,
      requiredClaims: ["sub", "exp"],
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(now * 1000),
    }));
  } catch (error) {
    throw new IdTokenError(failureOf(error));
  }
  // jose checks iat only for maxTokenAge; a token issued in the future is refused here as before.
  if (typeof payload.iat === "number" && payload.iat > now + CLOCK_TOLERANCE_S) throw new IdTokenError("not_yet_valid");
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (audiences.length > 1 && payload.azp !== expected.clientId) throw new IdTokenError("wrong_audience");
  if (payload.azp !== undefined && payload.azp !== expected.clientId) throw new IdTokenError("wrong_audience");
  if (typeof payload.nonce !== "string" || payload.nonce !== expected.nonce) throw new IdTokenError("bad_nonce");
  if (typeof payload.sub !== "string" || !payload.sub || typeof payload.iss !== "string")
    throw new IdTokenError("malformed");
  return {
    ...payload,
    iss: payload.iss,
    sub: payload.sub,
    aud: payload.aud ?? expected.clientId,
    exp: payload.exp ?? now,
  };
}
