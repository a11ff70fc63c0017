/**
 * The issuer's signing keys (JWKS from the discovery `jwks_uri`), cached for an hour. A token signed with a key id
 * we do not know triggers one early refetch (the issuer rotated its keys), at most every 30 seconds so a stream of
 * forged tokens cannot make us hammer the issuer.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { getJson } from "./http.server";
import type { JwtHeader } from "./id-token";
import type { FetchLike } from "./types";

const CACHE_MS = 60 * 60 * 1000;
const REFETCH_MIN_MS = 30 * 1000;

interface Jwk extends JsonWebKey {
  kid?: string;
  alg?: string;
  use?: string;
}

const cache = new Map<string, { keys: Jwk[]; at: number }>();

async function load(uri: string, fetchImpl: FetchLike, now: number): Promise<Jwk[]> {
  const raw = (await getJson(fetchImpl, uri, "jwks")) as { keys?: unknown };
  const keys = Array.isArray(raw?.keys) ? (raw.keys as Jwk[]).filter((k) => typeof k === "object" && k !== null) : [];
  cache.set(uri, { keys, at: now });
  return keys;
}

const KTY_FOR_ALG: Record<string, string> = { RS256: "RSA", ES256: "EC" };

function pick(keys: Jwk[], header: JwtHeader): Jwk | undefined {
  const candidates = keys.filter(
    (k) => k.kty === KTY_FOR_ALG[header.alg] && (k.use === undefined || k.use === "sig") && (k.alg === undefined || k.alg === header.alg),
  );
  if (header.kid !== undefined) return candidates.find((k) => k.kid === header.kid);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A resolver for `verifyIdToken`: the public key for a token header, or null when the issuer has none. */
export function jwksKeyResolver(uri: string, fetchImpl: FetchLike, now = Date.now()) {
  return async (header: JwtHeader): Promise<KeyObject | null> => {
    const hit = cache.get(uri);
    let keys = hit && now - hit.at < CACHE_MS ? hit.keys : await load(uri, fetchImpl, now);
    let jwk = pick(keys, header);
    if (!jwk && hit && keys === hit.keys && now - hit.at >= REFETCH_MIN_MS) {
      keys = await load(uri, fetchImpl, now);
      jwk = pick(keys, header);
    }
    if (!jwk) return null;
    try {
      return createPublicKey({ key: jwk, format: "jwk" });
    } catch {
      return null;
    }
  };
}

export function clearJwksCache(): void {
  cache.clear();
}
