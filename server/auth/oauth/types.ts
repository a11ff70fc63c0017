/** Shared shapes of the OAuth sign-in: provider ids, the injectable fetch, and the profile a provider yields. */
export type OAuthProviderId = "github" | "google" | "oidc";

/**
 * Every outgoing call of the sign-in (discovery, JWKS, token, profile) goes through one of these, so tests can
 * replay recorded provider responses. Defaults to the global fetch.
 */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** What the hub learns about the person from the provider, after every check passed. */
export interface OAuthProfile {
  provider: OAuthProviderId;
  providerUserId: string;
  /** Lower-cased. */
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  avatarUrl: string | null;
}

/** Per-attempt secrets kept in the flow cookie between the redirect and the callback. */
export interface FlowSecrets {
  state: string;
  codeVerifier: string;
  nonce: string;
}

/** One provider as the flow sees it: build the authorization URL, then turn a code into a checked profile. */
export interface OAuthProvider {
  id: OAuthProviderId;
  createAuthorizationURL(flow: FlowSecrets): Promise<URL>;
  fetchProfile(code: string, flow: FlowSecrets): Promise<OAuthProfile>;
}
