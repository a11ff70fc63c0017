/** The provider implementation for a configured client: GitHub's own flow, or OpenID Connect for the others. */
import { createGitHubProvider } from "./github.server";
import { createOidcProvider } from "./oidc.server";
import { callbackUrl, type OAuthClientConfig } from "./provider-config.server";
import { SignInError } from "./sign-in-errors";
import type { FetchLike, OAuthProvider } from "./types";

export function createProvider(config: OAuthClientConfig, fetchImpl: FetchLike, now?: () => number): OAuthProvider {
  let clientSecret: string;
  try {
    clientSecret = config.readSecret();
  } catch {
    throw new SignInError("provider_misconfigured", `${config.id}: the stored client secret cannot be opened`);
  }
  const redirectUri = callbackUrl(config.id);
  if (config.id === "github")
    return createGitHubProvider({ clientId: config.clientId, clientSecret, redirectUri }, fetchImpl);
  return createOidcProvider(
    { id: config.id, issuer: config.issuer!, clientId: config.clientId, clientSecret, redirectUri },
    fetchImpl,
    now,
  );
}
