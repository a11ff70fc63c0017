/**
 * GitHub (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps): not OpenID
 * Connect, so there is no ID token; the identity is GET /user, and the email is the primary *verified* one from
 * GET /user/emails (the `email` on /user is whatever the person made public, verified or not).
 */
import { CodeChallengeMethod, OAuth2Client } from "arctic";
import { z } from "zod";
import { getJson } from "./http.server";
import { SignInError } from "./sign-in-errors";
import { exchangeAuthorizationCode } from "./token-exchange.server";
import type { FetchLike, FlowSecrets, OAuthProfile, OAuthProvider } from "./types";

const GITHUB_AUTHORIZE_URL = "https://github.com/login/oauth/authorize";
export const GITHUB_TOKEN_URL = "https://github.com/login/oauth/access_token";
export const GITHUB_API_URL = "https://api.github.com";

const userSchema = z.object({
  id: z.number(),
  login: z.string(),
  name: z.string().nullable().optional(),
  avatar_url: z.string().nullable().optional(),
});
const emailsSchema = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

export interface GitHubClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export function createGitHubProvider(client: GitHubClient, fetchImpl: FetchLike): OAuthProvider {
  const oauth = new OAuth2Client(client.clientId, client.clientSecret, client.redirectUri);
  const api = async (path: string, token: string) =>
    getJson(fetchImpl, `${GITHUB_API_URL}${path}`, `github ${path}`, {
      Accept: "application/vnd.github+json",
      Authorization: `Bearer ${token}`,
      "User-Agent": "ai-hub",
      "X-GitHub-Api-Version": "2022-11-28",
    });
  return {
    id: "github",
    async createAuthorizationURL(flow: FlowSecrets) {
      // GitHub accepts PKCE (S256) since 2025; sending it costs nothing where it is ignored.
      return oauth.createAuthorizationURLWithPKCE(
        GITHUB_AUTHORIZE_URL,
        flow.state,
        CodeChallengeMethod.S256,
        flow.codeVerifier,
        ["read:user", "user:email"],
      );
    },
    async fetchProfile(code: string, flow: FlowSecrets): Promise<OAuthProfile> {
      const tokens = await exchangeAuthorizationCode(fetchImpl, {
        tokenEndpoint: GITHUB_TOKEN_URL,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        redirectUri: client.redirectUri,
        code,
        codeVerifier: flow.codeVerifier,
      });
      const token = tokens.accessToken();
      const user = userSchema.safeParse(await api("/user", token));
      if (!user.success) throw new SignInError("provider_unavailable", "github /user: unexpected shape");
      const emails = emailsSchema.safeParse(await api("/user/emails", token));
      if (!emails.success) throw new SignInError("provider_unavailable", "github /user/emails: unexpected shape");
      const primary = emails.data.find((e) => e.primary);
      return {
        provider: "github",
        providerUserId: String(user.data.id),
        email: primary ? primary.email.trim().toLowerCase() : null,
        emailVerified: primary?.verified === true,
        name: user.data.name || user.data.login,
        avatarUrl: user.data.avatar_url ?? null,
      };
    },
  };
}
