/**
 * Google's answers, as recorded from https://accounts.google.com/.well-known/openid-configuration and
 * https://oauth2.googleapis.com/token. The ID token is made per test (signed by a test key the fake JWKS serves),
 * with the claims Google sends (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload).
 */
export const googleDiscovery = {
  issuer: "https://accounts.google.com",
  authorization_endpoint: "https://accounts.google.com/o/oauth2/v2/auth",
  device_authorization_endpoint: "https://oauth2.googleapis.com/device/code",
  token_endpoint: "https://oauth2.googleapis.com/token",
  userinfo_endpoint: "https://openidconnect.googleapis.com/v1/userinfo",
  revocation_endpoint: "https://oauth2.googleapis.com/revoke",
  jwks_uri: "https://www.googleapis.com/oauth2/v3/certs",
  response_types_supported: [
    "code",
    "token",
    "id_token",
    "code token",
    "code id_token",
    "token id_token",
    "code token id_token",
    "none",
  ],
  response_modes_supported: ["query", "fragment", "form_post"],
  subject_types_supported: ["public"],
  id_token_signing_alg_values_supported: ["RS256"],
  scopes_supported: ["openid", "email", "profile"],
  token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
  claims_supported: [
    "aud",
    "email",
    "email_verified",
    "exp",
    "family_name",
    "given_name",
    "iat",
    "iss",
    "name",
    "picture",
    "sub",
  ],
  code_challenge_methods_supported: ["plain", "S256"],
  grant_types_supported: [
    "authorization_code",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
  ],
};

/** POST /token, without the id_token (added per test). */
export const googleToken = {
  access_token: "ya29.a0AfB_byC-test-access-token",
  expires_in: 3599,
  scope: "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile",
  token_type: "Bearer",
};

/** A used code: Google answers 400. */
export const googleInvalidGrant = { error: "invalid_grant", error_description: "Bad Request" };

export function googleClaims(clientId: string, nonce: string, now: number) {
  return {
    iss: "https://accounts.google.com",
    azp: clientId,
    aud: clientId,
    sub: "110169484474386276334",
    email: "ada@example.org",
    email_verified: true,
    at_hash: "HK6E_P6Dh8Y93mRNtsDB1Q",
    nonce,
    name: "Ada Lovelace",
    picture: "https://lh3.googleusercontent.com/a/ACg8ocK-test=s96-c",
    given_name: "Ada",
    family_name: "Lovelace",
    iat: now,
    exp: now + 3599,
  };
}
