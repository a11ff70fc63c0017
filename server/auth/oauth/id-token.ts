/**
 * ID token verification with node:crypto (OpenID Connect Core §3.1.3.7): signature (RS256 or ES256 only: no
 * "none", no HMAC with a public key), issuer, audience (and azp when there are several), expiry, and the nonce
 * that ties the token to this browser's sign-in attempt. Pure apart from the key resolver passed in.
 */
import { verify, type KeyObject } from "node:crypto";

export interface JwtHeader {
  alg: "RS256" | "ES256";
  kid?: string;
}

export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat?: number;
  nbf?: number;
  nonce?: string;
  azp?: string;
  email?: string;
  email_verified?: boolean | string;
  name?: string;
  picture?: string;
  [claim: string]: unknown;
}

export interface IdTokenExpectations {
  /** Accepted `iss` values (Google issues both "https://accounts.google.com" and "accounts.google.com"). */
  issuers: string[];
  clientId: string;
  nonce: string;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

export type IdTokenFailure = "malformed" | "unsupported_alg" | "unknown_key" | "bad_signature" | "wrong_issuer" | "wrong_audience" | "expired" | "not_yet_valid" | "bad_nonce";

export class IdTokenError extends Error {
  override name = "IdTokenError";
  constructor(readonly reason: IdTokenFailure) {
    super(`ID token refused: ${reason}`);
  }
}

const CLOCK_SKEW_S = 60;

function decodePart<T>(part: string | undefined): T {
  if (!part) throw new IdTokenError("malformed");
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not an object");
    return value as T;
  } catch {
    throw new IdTokenError("malformed");
  }
}

function checkSignature(header: JwtHeader, key: KeyObject, signingInput: string, signature: Buffer): boolean {
  const data = Buffer.from(signingInput);
  if (header.alg === "RS256") return key.asymmetricKeyType === "rsa" && verify("sha256", data, key, signature);
  // JWS carries ECDSA signatures as raw r||s (RFC 7518 §3.4), which node calls "ieee-p1363".
  return (
    key.asymmetricKeyType === "ec" &&
    key.asymmetricKeyDetails?.namedCurve === "prime256v1" &&
    signature.length === 64 &&
    verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature)
  );
}

export async function verifyIdToken(
  token: string,
  expected: IdTokenExpectations,
  resolveKey: (header: JwtHeader) => Promise<KeyObject | null>,
): Promise<IdTokenClaims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new IdTokenError("malformed");
  const header = decodePart<{ alg?: unknown; kid?: unknown }>(parts[0]);
  if (header.alg !== "RS256" && header.alg !== "ES256") throw new IdTokenError("unsupported_alg");
  const jwtHeader: JwtHeader = { alg: header.alg, ...(typeof header.kid === "string" ? { kid: header.kid } : {}) };

  const key = await resolveKey(jwtHeader);
  if (!key) throw new IdTokenError("unknown_key");
  if (!checkSignature(jwtHeader, key, `${parts[0]}.${parts[1]}`, Buffer.from(parts[2]!, "base64url"))) {
    throw new IdTokenError("bad_signature");
  }

  // Claims are read only after the signature held.
  const claims = decodePart<IdTokenClaims>(parts[1]);
  if (typeof claims.sub !== "string" || !claims.sub || typeof claims.exp !== "number") throw new IdTokenError("malformed");
  if (!expected.issuers.includes(claims.iss)) throw new IdTokenError("wrong_issuer");
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.clientId)) throw new IdTokenError("wrong_audience");
  if (audiences.length > 1 && claims.azp !== expected.clientId) throw new IdTokenError("wrong_audience");
  if (claims.azp !== undefined && claims.azp !== expected.clientId) throw new IdTokenError("wrong_audience");
  const now = expected.now ?? Math.floor(Date.now() / 1000);
  if (claims.exp <= now - CLOCK_SKEW_S) throw new IdTokenError("expired");
  if (typeof claims.nbf === "number" && claims.nbf > now + CLOCK_SKEW_S) throw new IdTokenError("not_yet_valid");
  if (typeof claims.iat === "number" && claims.iat > now + CLOCK_SKEW_S) throw new IdTokenError("not_yet_valid");
  if (typeof claims.nonce !== "string" || claims.nonce !== expected.nonce) throw new IdTokenError("bad_nonce");
  return claims;
}
