/**
 * The issuer's signing keys (JWKS from the discovery `jwks_uri`) through jose's remote key set: keys are cached for
 * an hour, and a token signed with a key id the cache lacks triggers one refetch (the issuer rotated its keys), at
 * most every 30 seconds, so a stream of forged tokens cannot make us hammer the issuer. One key set per URI, kept
 * across sign-ins; fetches go through the sign-in's injectable fetch with its timeout.
 */
import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import type { FetchLike } from "./types";

const CACHE_MS = 60 * 60 * 1000;
const REFETCH_MIN_MS = 30 * 1000;
const TIMEOUT_MS = 10_000;

const sets = new Map<string, JWTVerifyGetKey>();

export function jwksFor(uri: string, fetchImpl: FetchLike): JWTVerifyGetKey {
  let set = sets.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), {
      cacheMaxAge: CACHE_MS,
      cooldownDuration: REFETCH_MIN_MS,
      timeoutDuration: TIMEOUT_MS,
      [customFetch]: (url, options) => fetchImpl(url, options),
    });
    sets.set(uri, set);
  }
  return set;
}

export function clearJwksCache(): void {
  sets.clear();
}
