/**
 * Google's endpoints replayed from recorded responses: discovery, JWKS (a test RSA key), and a token endpoint that
 * returns an ID token built per test by `idToken` (by default: Google's claims, signed by the JWKS key).
 */
import { createFakeFetch, json } from "./fake-fetch";
import { createTestKey, nowSeconds, signJwt, type TestKey } from "./jwt-signer";
import { googleClaims, googleDiscovery, googleInvalidGrant, googleToken } from "./recorded/google";

export const GOOGLE_CLIENT_ID = "123456789012-hubtest.apps.googleusercontent.com";

export function createFakeGoogle() {
  const key: TestKey = createTestKey("RS256", "google-test-key-1");
  const usedCodes = new Set<string>();
  const state = {
    /** The nonce from the authorization request: Google echoes it into the ID token. */
    nonce: "",
    idToken: (nonce: string): string => signJwt(key, googleClaims(GOOGLE_CLIENT_ID, nonce, nowSeconds())),
  };
  const fake = createFakeFetch({
    "GET https://accounts.google.com/.well-known/openid-configuration": () =>
      json(googleDiscovery, 200, { "Cache-Control": "public, max-age=3600" }),
    [`GET ${googleDiscovery.jwks_uri}`]: () => json({ keys: [key.publicJwk] }),
    [`POST ${googleDiscovery.token_endpoint}`]: (req) => {
      const code = new URLSearchParams(req.body).get("code") ?? "";
      if (usedCodes.has(code)) return json(googleInvalidGrant, 400);
      usedCodes.add(code);
      return json({ ...googleToken, id_token: state.idToken(state.nonce) });
    },
  });
  return { ...fake, key, state, claims: (nonce: string) => googleClaims(GOOGLE_CLIENT_ID, nonce, nowSeconds()) };
}
