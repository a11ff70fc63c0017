/**
 * Any OpenID Connect issuer (and Google, which is one: https://developers.google.com/identity/openid-connect/openid-connect):
 * endpoints from the discovery document, authorization code with PKCE (S256), state and nonce, and the ID token
 * verified here. Claims the ID token leaves out (issuers may keep email for the userinfo endpoint when the flow is
 * "code") are read from userinfo, whose `sub` must be the ID token's.
 */
import { CodeChallengeMethod, OAuth2Client } from "arctic";
import { getDiscoveryDocument } from "./discovery.server";
import { getJson } from "./http.server";
import { IdTokenError, verifyIdToken, type IdTokenClaims } from "./id-token";
import { jwksFor } from "./jwks.server";
import { SignInError } from "./sign-in-errors";
import { exchangeAuthorizationCode } from "./token-exchange.server";
import type { FetchLike, FlowSecrets, OAuthProfile, OAuthProvider, OAuthProviderId } from "./types";

export interface OidcClient {
  id: Extract<OAuthProviderId, "google" | "oidc">;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** Google's ID tokens may carry the issuer without the scheme (its docs say to accept both). */
function acceptedIssuers(id: OidcClient["id"], issuer: string): string[] {
  return id === "google" ? [issuer, "accounts.google.com"] : [issuer];
}

/** email_verified is a boolean in the spec; a few issuers (AWS Cognito) send the string "true". */
const isVerified = (value: unknown) => value === true || value === "true";

export function createOidcProvider(
  client: OidcClient,
  fetchImpl: FetchLike,
  now: () => number = Date.now,
): OAuthProvider {
  const oauth = new OAuth2Client(client.clientId, client.clientSecret || null, client.redirectUri);
  return {
    id: client.id,
    async createAuthorizationURL(flow: FlowSecrets) {
      const doc = await getDiscoveryDocument(client.issuer, fetchImpl, now());
      const url = oauth.createAuthorizationURLWithPKCE(
        doc.authorization_endpoint,
        flow.state,
        CodeChallengeMethod.S256,
        flow.codeVerifier,
        ["openid", "email", "profile"],
      );
      url.searchParams.set("nonce", flow.nonce);
      return url;
    },
    async fetchProfile(code: string, flow: FlowSecrets): Promise<OAuthProfile> {
      const doc = await getDiscoveryDocument(client.issuer, fetchImpl, now());
      const tokens = await exchangeAuthorizationCode(fetchImpl, {
        tokenEndpoint: doc.token_endpoint,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: client.redirectUri,
        code,
        codeVerifier: flow.codeVerifier,
      });
      const idToken = (tokens.data as { id_token?: unknown }).id_token;
      if (typeof idToken !== "string") throw new SignInError("id_token_invalid", "no id_token in the token response");
      let claims: IdTokenClaims;
      try {
        claims = await verifyIdToken(
          idToken,
          {
            issuers: acceptedIssuers(client.id, doc.issuer),
            clientId: client.clientId,
            nonce: flow.nonce,
            now: Math.floor(now() / 1000),
          },
          jwksFor(doc.jwks_uri, fetchImpl),
        );
      } catch (error) {
        if (error instanceof IdTokenError) throw new SignInError("id_token_invalid", error.reason);
        throw error;
      }
      let merged: Record<string, unknown> = claims;
      if (typeof claims.email !== "string" && doc.userinfo_endpoint) {
        const info = (await getJson(fetchImpl, doc.userinfo_endpoint, "userinfo", {
          Authorization: `Bearer ${tokens.accessToken()}`,
        })) as Record<string, unknown>;
        if (info?.sub !== claims.sub)
          throw new SignInError("id_token_invalid", "userinfo sub differs from the ID token");
        merged = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
      }
      const email = typeof merged.email === "string" && merged.email ? merged.email.trim().toLowerCase() : null;
      return {
        provider: client.id,
        providerUserId: claims.sub,
        email,
        emailVerified: email !== null && isVerified(merged.email_verified),
        name: typeof merged.name === "string" ? merged.name : null,
        avatarUrl: typeof merged.picture === "string" ? merged.picture : null,
      };
    },
  };
}
